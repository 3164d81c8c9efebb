using System.Diagnostics;
using System.Text.RegularExpressions;
using StreamingApp.Logging;

namespace StreamingApp.Tests.Logging;

/// <summary>The real app as a child process: what a person (a terminal) and a log shipper (a pipe) see on its stdout.</summary>
public sealed partial class SerilogLoggingTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(ConsoleLogFormat.Auto, false, ConsoleLogFormat.Text)]
    [InlineData(ConsoleLogFormat.Auto, true, ConsoleLogFormat.Json)]
    [InlineData(ConsoleLogFormat.Json, false, ConsoleLogFormat.Json)]
    [InlineData(ConsoleLogFormat.Text, true, ConsoleLogFormat.Text)]
    [InlineData(ConsoleLogFormat.Off, false, ConsoleLogFormat.Off)]
    public void Resolve_ConfiguredFormatAndStdout_PicksTheConsoleFormat(ConsoleLogFormat configured, bool redirected, ConsoleLogFormat expected) =>
        Assert.Equal(expected, SerilogLogging.Resolve(configured, redirected));

    [Fact]
    public async Task App_StdoutIsAPipe_WritesCompactJsonWithRenderedMessagesAndRequestLines()
    {
        await using var app = AppProcess.Start(_data.Path, underTerminal: false);

        var listening = await app.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal));
        var address = AddressIn(listening);
        using var http = new HttpClient();
        (await http.GetAsync(new Uri(address, "/v1/pipelines/list"))).EnsureSuccessStatusCode();
        var request = await app.WaitForLineAsync(l => l.Contains("/v1/pipelines/list", StringComparison.Ordinal));

        using var listeningJson = JsonDocument.Parse(listening);
        // Serilog renders string properties quoted in @m; the text format shows them literally.
        Assert.StartsWith("Now listening on: \"http://127.0.0.1:", listeningJson.RootElement.GetProperty("@m").GetString(), StringComparison.Ordinal);
        Assert.True(listeningJson.RootElement.TryGetProperty("@t", out _));
        using var requestJson = JsonDocument.Parse(request);
        Assert.StartsWith("HTTP \"GET\" \"/v1/pipelines/list\" responded 200 in ", requestJson.RootElement.GetProperty("@m").GetString(), StringComparison.Ordinal);
        Assert.Equal("/v1/pipelines/list", requestJson.RootElement.GetProperty("RequestPath").GetString());
        Assert.Equal(200, requestJson.RootElement.GetProperty("StatusCode").GetInt32());
    }

    [Fact]
    public async Task App_StdoutIsATerminal_WritesReadableTextLines()
    {
        await using var app = AppProcess.Start(_data.Path, underTerminal: true);

        var listening = await app.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal));
        using var http = new HttpClient();
        (await http.GetAsync(new Uri(AddressIn(listening), "/v1/pipelines/list"))).EnsureSuccessStatusCode();
        var request = await app.WaitForLineAsync(l => l.Contains("/v1/pipelines/list", StringComparison.Ordinal));

        Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] Now listening on: http://127\.0\.0\.1:\d+$", listening);
        Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] HTTP GET /v1/pipelines/list responded 200 in [\d.]+ ms$", request);
        Assert.DoesNotContain(app.Lines, l => l.StartsWith('{'));
    }

    private static Uri AddressIn(string line) => new(AddressPattern().Match(line).Value);

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex AddressPattern();

    /// <summary>StreamingApp.dll (copied beside the tests) on a free loopback port, with its stdout read line by line.</summary>
    private sealed partial class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly SemaphoreSlim _lineArrived = new(0);

        private AppProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (_lines)
                {
                    // A terminal's colours and carriage returns are not part of what the line says.
                    _lines.Add(AnsiEscape().Replace(e.Data, string.Empty).TrimEnd('\r'));
                }

                _lineArrived.Release();
            };
            _process.BeginOutputReadLine();
        }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        /// <summary>Under <c>script</c>, stdout is a pseudo-terminal, as when a person runs <c>./run.sh</c>.</summary>
        public static AppProcess Start(string dataDirectory, bool underTerminal)
        {
            var app = $"dotnet exec {Path.Combine(AppContext.BaseDirectory, "StreamingApp.dll")} --urls http://127.0.0.1:0";
            var start = underTerminal
                ? new ProcessStartInfo("script", ["--quiet", "--flush", "--return", "--command", app, "/dev/null"])
                : new ProcessStartInfo("sh", ["-c", "exec " + app]);
            start.WorkingDirectory = AppContext.BaseDirectory;
            start.RedirectStandardOutput = true;
            start.RedirectStandardInput = true; // script needs a stdin; closing it would end the session
            start.Environment["Models__Directory"] = TestPaths.ModelsDirectory;
            start.Environment["Jobs__DataDirectory"] = dataDirectory;
            start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            return new AppProcess(Process.Start(start)!);
        }

        public async Task<string> WaitForLineAsync(Func<string, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var next = 0;
            while (true)
            {
                lock (_lines)
                {
                    while (next < _lines.Count)
                    {
                        var line = _lines[next++];
                        if (match(line))
                        {
                            return line;
                        }
                    }
                }

                Assert.False(_process.HasExited, "the app exited:\n" + string.Join('\n', Lines));
                try
                {
                    await _lineArrived.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail("no such line within a minute:\n" + string.Join('\n', Lines));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
            _lineArrived.Dispose();
        }

        [GeneratedRegex(@"\x1b\[[0-9;]*m")]
        private static partial Regex AnsiEscape();
    }
}
