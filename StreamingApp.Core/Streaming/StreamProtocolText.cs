using System.Buffers;
using System.Text;
using System.Text.Json;

namespace StreamingApp.Core.Streaming;

/// <summary>Protocol messages as strings, for the rare paths that are not a session's send loop.</summary>
internal static class StreamProtocolText
{
    public static string Error(StreamError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            StreamProtocol.Write(json, new OutgoingMessage(OutgoingKind.Error, Error: error));
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
