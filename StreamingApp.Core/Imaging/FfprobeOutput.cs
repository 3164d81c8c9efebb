using System.Globalization;
using System.Text.Json;

namespace StreamingApp.Core.Imaging;

/// <summary>Reads ffprobe's JSON (<c>-of json</c>) for the first video stream into a <see cref="VideoInfo"/>.</summary>
internal static class FfprobeOutput
{
    /// <summary>The entries <see cref="Parse"/> reads, for ffprobe's <c>-show_entries</c>.</summary>
    public const string Entries =
        "stream=width,height,nb_frames,nb_read_packets,avg_frame_rate,r_frame_rate,duration:stream_side_data=rotation:format=duration";

    /// <exception cref="VideoDecodeException">No video stream, no picture size or no frames.</exception>
    public static VideoInfo Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
        {
            throw new VideoDecodeException("The file contains no video stream.");
        }

        var stream = streams[0];
        var (width, height) = DisplaySize(stream);
        if (width <= 0 || height <= 0)
        {
            throw new VideoDecodeException("The video stream has no picture size.");
        }

        var frameRate = Rate(stream, "avg_frame_rate") is > 0 and var avg ? avg : Rate(stream, "r_frame_rate");
        // Packets counted by reading the file (-count_packets) first: the container's nb_frames is only what its
        // header claims, and a crafted header may claim billions.
        var frames = Integer(stream, "nb_read_packets") is > 0 and var read ? read : Integer(stream, "nb_frames");
        var seconds = Number(stream, "duration") is > 0 and var d ? d
            : doc.RootElement.TryGetProperty("format", out var format) ? Number(format, "duration") : 0;
        if (frames <= 0 || frameRate <= 0)
        {
            throw new VideoDecodeException("The video stream has no frames.");
        }

        return new VideoInfo(width, height, frames, seconds * 1000, frameRate);
    }

    /// <summary>The stored size, turned by a ±90° rotation as ffmpeg's autorotate turns the decoded frames.</summary>
    private static (int Width, int Height) DisplaySize(JsonElement stream)
    {
        var width = stream.TryGetProperty("width", out var w) && w.TryGetInt32(out var wi) ? wi : 0;
        var height = stream.TryGetProperty("height", out var h) && h.TryGetInt32(out var hi) ? hi : 0;
        if (stream.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in sideData.EnumerateArray())
            {
                if (item.TryGetProperty("rotation", out var rotation) && rotation.TryGetInt32(out var degrees) && Math.Abs(degrees) % 180 == 90)
                {
                    (width, height) = (height, width);
                }
            }
        }

        return (width, height);
    }

    private static double Rate(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String || v.GetString() is not { } s)
        {
            return 0;
        }

        var slash = s.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && double.TryParse(s.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(s.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && den > 0
            ? num / den
            : 0;
    }

    // ffprobe writes these numbers as JSON strings.
    private static int Integer(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        && int.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0;

    private static double Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : 0;
}
