using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// Clients whose connections come from a chosen loopback address (127.x.y.z; all of 127.0.0.0/8 is this machine on
/// Linux), so one test process can be many distinct remote addresses to the server.
/// </summary>
public static class LoopbackClient
{
    /// <summary>
    /// An HTTP invoker (for <see cref="HttpClient"/> or <see cref="ClientWebSocket"/>) that connects from
    /// <paramref name="local"/>, optionally with a small socket receive buffer (a client slow to read fills up sooner).
    /// </summary>
    public static SocketsHttpHandler From(IPAddress local, int? receiveBufferBytes = null) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (receiveBufferBytes is { } bytes)
                {
                    socket.ReceiveBufferSize = bytes;
                }

                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>The n-th distinct loopback address after 127.0.0.1 (127.0.1.0, 127.0.1.1, …).</summary>
    public static IPAddress Address(int n) => new([127, (byte)(((n + 256) >> 16) & 0xFF), (byte)(((n + 256) >> 8) & 0xFF), (byte)((n + 256) & 0xFF)]);

    /// <summary>
    /// A WebSocket handshake from <paramref name="local"/>: the connected socket, or null and the HTTP status when the
    /// server refused the upgrade.
    /// </summary>
    public static Task<(ClientWebSocket? Socket, HttpStatusCode Status)> ConnectWebSocketAsync(
        Uri uri, IPAddress local, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default,
        int? receiveBufferBytes = null) =>
        ConnectWebSocketAsync(uri, From(local, receiveBufferBytes), headers, cancellationToken);

    /// <summary>A WebSocket handshake through <paramref name="handler"/> (e.g. one that trusts a test certificate).</summary>
    public static async Task<(ClientWebSocket? Socket, HttpStatusCode Status)> ConnectWebSocketAsync(
        Uri uri, SocketsHttpHandler handler, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        using var invoker = new HttpMessageInvoker(handler);
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        try
        {
            await socket.ConnectAsync(uri, invoker, cancellationToken);
            return (socket, socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status);
        }
    }
}
