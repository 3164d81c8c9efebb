using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The whole app with the repository's real models, in memory (WebApplicationFactory's TestServer) or, after
/// <see cref="StartKestrel"/>, on real Kestrel at a loopback port the OS picked — what a browser, nginx or a raw socket
/// can reach. Settings are applied over appsettings.json. Not sealed on purpose: feature tests derive from it —
/// override <see cref="ConfigureWebHost"/> and call the base first.
/// </summary>
public class StreamingAppFactory : WebApplicationFactory<Program>
{
    // Jobs keep a database and uploads: each app gets its own folder, never the source tree's data/.
    private readonly TempDirectory _jobsData = new();
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private Uri? _kestrelAddress;

    /// <summary>The app as configured by appsettings.json (xUnit class fixtures need one parameterless constructor).</summary>
    public StreamingAppFactory()
        : this(null)
    {
    }

    protected StreamingAppFactory(IReadOnlyDictionary<string, string?>? settings)
    {
        _settings = settings ?? new Dictionary<string, string?>();
    }

    /// <summary>The app with <paramref name="settings"/> over appsettings.json, in memory.</summary>
    public static StreamingAppFactory With(IReadOnlyDictionary<string, string?> settings) => new(settings);

    /// <summary>The app's own data folder for jobs (a temp folder, deleted with the app).</summary>
    public string JobsDataDirectory => _jobsData.Path;

    /// <summary>Everything the app logged, with its structured state, for tests that check a log event or wait for one.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>http://127.0.0.1:port of the app on Kestrel (after <see cref="StartKestrel"/>).</summary>
    public Uri BaseAddress => _kestrelAddress ?? throw new InvalidOperationException("The app was not started on Kestrel.");

    /// <summary>
    /// Starts the app on real Kestrel, listening on port 0 of <paramref name="address"/> (loopback by default), and on
    /// <paramref name="alsoListening"/>, a socket the test bound itself when it must know the port beforehand.
    /// </summary>
    protected void StartKestrel(IPAddress? address = null, Socket? alsoListening = null)
    {
        UseKestrel(options =>
        {
            options.Listen(address ?? IPAddress.Loopback, 0);
            if (alsoListening is not null)
            {
                options.ListenHandle((ulong)alsoListening.Handle);
            }
        });
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        _kestrelAddress = new Uri(addresses.Addresses.First());
    }

    /// <summary>
    /// Starts the app expecting it to refuse, and returns why: the exception, and every exception the host logged as it
    /// failed. WebApplicationFactory can lose the exception: when the app's own start fails and disposes its host before
    /// the factory looks at it, the factory throws only an <see cref="ObjectDisposedException"/>; the host has logged
    /// the real reason ("Hosting failed to start") by then.
    /// </summary>
    public string StartRefusal()
    {
        try
        {
            StartServer();
        }
        catch (Exception ex)
        {
            return string.Join(Environment.NewLine, [ex.ToString(), .. Logs.Logs.Where(l => l.Exception is not null).Select(l => l.Exception!.ToString())]);
        }

        throw new InvalidOperationException("The app started; a refusal was expected.");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Models:Directory", TestPaths.ModelsDirectory);
        builder.UseSetting("Jobs:DataDirectory", _jobsData.Path);
        // Nothing on the console: a failing run must end with its failures, not with thousands of log lines.
        builder.UseSetting("ConsoleLog:Format", "Off");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _jobsData.Dispose();
        }
    }
}
