using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The built app as a real child process (<c>dotnet StreamingApp.dll</c>) on a loopback port Kestrel picked (read
/// back from its "Now listening on" line), for what only a process shows: signals, <c>kill -9</c>, exit, restarts,
/// several instances side by side. Its data folder is its own unless the environment names one
/// (<c>Jobs__DataDirectory</c>, e.g. a folder instances share).
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private const int Sigterm = 15;
    private static readonly TimeSpan StartGuard = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly TempDirectory _data = new();

    private AppProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>Everything the app wrote, for a failing test's message.</summary>
    public WaitableQueue<string> Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The app's build output of the same configuration as these tests.</summary>
    public static string AppDll { get; } = Path.Combine(
        TestPaths.RepoRoot, "StreamingApp", "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "StreamingApp.dll");

    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AppDll, "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = Path.GetDirectoryName(AppDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var app = new AppProcess(new Process { StartInfo = start });
        start.Environment["Models__Directory"] = TestPaths.ModelsDirectory;
        start.Environment["Jobs__DataDirectory"] = app._data.Path;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        app._process.OutputDataReceived += (_, line) => app.OnLine(line.Data, listening);
        app._process.ErrorDataReceived += (_, line) => app.OnLine(line.Data, listening);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        using var guard = new CancellationTokenSource(StartGuard);
        try
        {
            app.BaseAddress = await listening.Task.WaitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException("The app did not start listening:\n" + string.Join('\n', app.Output));
        }

        return app;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Waits for a line of output matching <paramref name="pattern"/>, already written or to come.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan guard)
    {
        try
        {
            return pattern.Match(await Output.WaitForAsync(pattern.IsMatch, guard));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"No output matched {pattern}. {ex.Message}", ex);
        }
    }

    /// <summary><c>kill -9</c>: the process dies on the spot, writing nothing more.</summary>
    public Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        return _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, what systemd, Docker and Kubernetes send to stop a process; sent by this process itself, so
    /// the moment it is sent is known.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to end (bounded by <paramref name="guard"/>); false if it did not.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan guard)
    {
        using var cts = new CancellationTokenSource(guard);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _data.Dispose();
    }

    private void OnLine(string? line, TaskCompletionSource<Uri> listening)
    {
        if (line is null)
        {
            return;
        }

        Output.Add(line);
        if (line.Contains("listening on", StringComparison.OrdinalIgnoreCase) && ListeningAddress().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Value));
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningAddress();
}
