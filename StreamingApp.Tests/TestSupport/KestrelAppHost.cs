using System.Net.Sockets;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The real app (real models) started at once on real Kestrel (<see cref="StreamingAppFactory.StartKestrel"/>), for a
/// browser, nginx or a raw socket to reach: the in-memory TestServer cannot serve them. Settings are test hooks;
/// <c>listenOn</c> and <c>alsoListening</c> as for <see cref="StreamingAppFactory.StartKestrel"/>.
/// </summary>
public sealed class KestrelAppHost : StreamingAppFactory
{
    public KestrelAppHost(Dictionary<string, string?>? settings = null, IPAddress? listenOn = null, Socket? alsoListening = null)
        : base(settings)
    {
        StartKestrel(listenOn, alsoListening);
    }

    /// <summary>A client connecting from <paramref name="from"/> (127.0.0.1 by default), as <paramref name="user"/> when
    /// given (the <c>X-Forwarded-User</c> header of <c>Auth:Mode=proxy</c>).</summary>
    public HttpClient Client(IPAddress? from = null, string? user = null)
    {
        var client = new HttpClient(LoopbackClient.From(from ?? IPAddress.Loopback)) { BaseAddress = new Uri($"http://127.0.0.1:{BaseAddress.Port}") };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-User", user);
        }

        return client;
    }
}
