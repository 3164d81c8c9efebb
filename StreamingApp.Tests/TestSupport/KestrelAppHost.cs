using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The real app (real models, as <see cref="StreamingAppFactory"/>) on real Kestrel at a free loopback port, for a
/// browser to reach: the in-memory TestServer cannot serve Chromium. Extra settings are test hooks.
/// </summary>
public sealed class KestrelAppHost : StreamingAppFactory
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public KestrelAppHost(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
    }

    /// <summary>http://127.0.0.1:port of the running app.</summary>
    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
