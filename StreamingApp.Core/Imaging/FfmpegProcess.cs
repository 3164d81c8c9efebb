using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StreamingApp.Core.Imaging;

/// <summary>
/// One ffmpeg or ffprobe child process working on an uploaded file — the one place where they are started, so every
/// run reads only that file: the <c>file</c> protocol alone (no network, no other protocol a crafted file could name)
/// and the MP4 demuxer forced (no format guessing). stderr is drained as it comes (ffmpeg never blocks on a full
/// pipe) and its last part kept for the log. Disposing kills the process (and anything it started) and reaps it.
/// </summary>
internal sealed class FfmpegProcess : IAsyncDisposable
{
    private const int StderrTailChars = 2000;
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly string _tool;

    private FfmpegProcess(Process process, string tool)
    {
        _process = process;
        _tool = tool;
        ErrorTail = ReadTailAsync(process.StandardError);
    }

    /// <summary>The process's stdout (ffprobe's JSON, ffmpeg's raw frames).</summary>
    public StreamReader Output => _process.StandardOutput;

    /// <summary>The last part of stderr, complete once the process has exited.</summary>
    public Task<string> ErrorTail { get; }

    /// <summary>The arguments that make ffmpeg or ffprobe read <paramref name="path"/>, and nothing else, as an MP4.</summary>
    public static IEnumerable<string> InputArguments(string path) =>
        ["-protocol_whitelist", "file", "-f", "mp4", "-i", "file:" + Path.GetFullPath(path)];

    /// <exception cref="InvalidOperationException">The tool is not installed (the message names it: for the log only).</exception>
    public static FfmpegProcess Start(string tool, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return new FfmpegProcess(Process.Start(info) ?? throw new InvalidOperationException($"'{tool}' did not start."), tool);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' could not be started; is ffmpeg installed? {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Background work runs at the lowest CPU priority (nice 19): it uses only CPU that live streams leave free.
    /// Best effort: the process may already have exited.
    /// </summary>
    public void LowerPriority()
    {
        try
        {
            _process.PriorityClass = ProcessPriorityClass.Idle;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // Exited already, or the platform refuses; decoding still works at normal priority.
        }
    }

    /// <summary>Waits for the exit; on cancellation the process is killed before the exception propagates.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw;
        }

        return _process.ExitCode;
    }

    /// <summary>What the tool said, for the log (never for the uploader: it names server paths).</summary>
    public async Task<FfmpegException> FailureAsync(int exitCode)
    {
        var stderr = await ErrorTail.ConfigureAwait(false);
        return new FfmpegException(string.Create(CultureInfo.InvariantCulture, $"{_tool} exited with code {exitCode}: {stderr.Trim()}"));
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        using var reap = new CancellationTokenSource(ReapTimeout);
        try
        {
            await _process.WaitForExitAsync(reap.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A process that ignores SIGKILL for 10 s is the kernel's problem; do not hang the caller on it.
        }

        _process.Dispose();
    }

    /// <summary>Reads stderr to its end, keeping only the last part.</summary>
    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[1024];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > StderrTailChars * 2)
            {
                tail.Remove(0, tail.Length - StderrTailChars);
            }
        }

        return tail.ToString();
    }
}

/// <summary>ffmpeg or ffprobe failed; the message is what it printed, for the log. See <see cref="VideoDecodeException"/>.</summary>
public sealed class FfmpegException(string message) : Exception(message);
