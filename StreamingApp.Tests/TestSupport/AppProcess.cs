using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The built app as a real child process (<c>dotnet StreamingApp.dll</c>) on a loopback port the OS picks, for what
/// only a process shows: a <c>kill -9</c>, a SIGTERM, an instance among others. Serves the API (and no UI: the
/// build's static web assets are not there outside Development). Its console log is kept for the test to read.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IEnumerable<string> Log => _log;

    /// <summary>Starts the app with <paramref name="settings"/> as environment variables (<c>Jobs__Store</c>, …) and waits until it listens.</summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var directory = AppDirectory();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(directory, "StreamingApp.dll"));
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["ConsoleLog__Format"] = "Text";
        info.Environment["Models__Directory"] = TestPaths.ModelsDirectory;
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var app = new AppProcess(Process.Start(info)!);
        app._process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        var exited = app._process.WaitForExitAsync();
        if (await Task.WhenAny(app._listening.Task, exited).WaitAsync(TimeSpan.FromMinutes(2)) == exited)
        {
            throw new InvalidOperationException("The app exited at start:\n" + string.Join('\n', app._log));
        }

        app.BaseAddress = await app._listening.Task;
        return app;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Waits for a log line matching <paramref name="pattern"/>, already written or to come.</summary>
    public async Task<Match> WaitForLogAsync(Regex pattern, TimeSpan timeout)
    {
        var guard = Stopwatch.StartNew();
        while (true)
        {
            foreach (var line in _log)
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            if (guard.Elapsed > timeout)
            {
                throw new TimeoutException($"No log line matched {pattern} in {timeout}:\n" + string.Join('\n', _log.TakeLast(30)));
            }

            await Task.Delay(50);
        }
    }

    /// <summary><c>kill -9</c>: the process dies on the spot, writing nothing more.</summary>
    public Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        return _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd, Docker and Kubernetes stop a process: a graceful stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException("kill -TERM failed with exit code " + kill.ExitCode);
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>The app's build output beside this test build: same configuration and framework.</summary>
    private static string AppDirectory()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var directory = Path.Combine(TestPaths.RepoRoot, "StreamingApp", "bin", tests.Parent!.Name, tests.Name);
        return File.Exists(Path.Combine(directory, "StreamingApp.dll"))
            ? directory
            : throw new InvalidOperationException("The app is not built at " + directory);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
