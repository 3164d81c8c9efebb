using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace StreamingApp.Auth;

/// <summary>
/// Without sign-in (<c>Auth:Mode</c> none), warns loudly when the app listens beyond loopback. It runs once the
/// server listens (its addresses are known then) and before the host reports itself started, so the warning is
/// the first thing after "Now listening on" and a start-up check never misses it.
/// </summary>
internal sealed partial class OpenNetworkWarning(IServer server, ILogger<OpenNetworkWarning> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var exposed = (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Where(IsBeyondLoopback).ToList();
        if (exposed.Count > 0)
        {
            LogOpenToTheNetwork(logger, string.Join(", ", exposed));
        }

        return Task.CompletedTask;
    }

    internal static bool IsBeyondLoopback(string address)
    {
        var host = BindingAddress.Parse(address).Host;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !IPAddress.TryParse(host.Trim('[', ']'), out var ip) || !IPAddress.IsLoopback(ip);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6060, Level = LogLevel.Warning,
        Message = "Auth:Mode is none and the app listens on {Addresses}: anyone who can reach it can stream, upload, list, download and delete every job. Set Auth:Mode to proxy or oidc, or listen on loopback behind a proxy that authenticates (docs/SECURITY.md).")]
    private static partial void LogOpenToTheNetwork(ILogger logger, string addresses);
}
