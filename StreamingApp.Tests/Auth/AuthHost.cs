using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Auth;

/// <summary>The real app on Kestrel with access-control settings, its log captured.</summary>
public sealed class AuthHost : StreamingAppFactory
{
    public AuthHost(Dictionary<string, string?> settings, IPAddress? listenOn = null, Socket? alsoListening = null)
        : base(settings)
    {
        StartKestrel(listenOn, alsoListening);
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public HttpClient Client(IPAddress? from = null, string? user = null)
    {
        var client = new HttpClient(LoopbackClient.From(from ?? IPAddress.Loopback)) { BaseAddress = new Uri($"http://127.0.0.1:{BaseAddress.Port}") };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-User", user);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}
