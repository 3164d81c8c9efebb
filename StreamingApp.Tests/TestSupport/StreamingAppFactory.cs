using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The whole app in memory (WebApplicationFactory) with the repository's real models. Not sealed on purpose: feature
/// tests derive from it to add settings — override <see cref="ConfigureWebHost"/> and call the base first.
/// </summary>
public class StreamingAppFactory : WebApplicationFactory<Program>
{
    // Jobs keep a database and uploads: each app gets its own folder, never the source tree's data/.
    private readonly TempDirectory _jobsData = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Models:Directory", TestPaths.ModelsDirectory);
        builder.UseSetting("Jobs:DataDirectory", _jobsData.Path);
        // Nothing on the console: a failing run must end with its failures, not with thousands of log lines.
        // Tests that check logging add their own provider (CapturingLoggerProvider).
        builder.UseSetting("ConsoleLog:Format", "Off");
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
