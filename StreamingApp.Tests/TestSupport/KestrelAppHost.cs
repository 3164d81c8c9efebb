using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The real app on real Kestrel at a free loopback port, for a browser to reach (the in-memory TestServer
/// cannot serve Chromium). Optional service overrides for test hooks.
/// </summary>
public sealed class KestrelAppHost : WebApplicationFactory<Program>
{
    private readonly Action<IServiceCollection>? _configureServices;

    public KestrelAppHost(Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
    }

    /// <summary>http://127.0.0.1:port of the running app.</summary>
    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        if (_configureServices is not null)
        {
            builder.ConfigureTestServices(_configureServices);
        }
    }
}
