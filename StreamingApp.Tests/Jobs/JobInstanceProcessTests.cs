using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Npgsql;
using StreamingApp.Core.Jobs.Postgres;

namespace StreamingApp.Tests.Jobs;

/// <summary>
/// Instances as real processes (<c>dotnet StreamingApp.dll</c>, real YOLOX) on one PostgreSQL queue and one data
/// folder: one is killed (<c>kill -9</c>) or stopped (SIGTERM) in the middle of a job, and the other finishes it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobInstanceProcessTests(PostgresServer server, ITestOutputHelper output) : SharedQueueTests(server)
{
    private const int Frames = 80;
    private const int CheckpointFrames = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task InstanceKilled_AnotherTakesTheJobOverWithinLeasePlus10s_ResumingAtItsLastCheckpoint()
    {
        var lease = TimeSpan.FromSeconds(2);
        await using var a = await AppProcess.StartAsync(Settings("a", lease));
        var id = await SubmitAsync(a);
        await a.WaitForOutputAsync(Claimed(id, "a"), Patience);
        await using var b = await AppProcess.StartAsync(Settings("b", lease));
        await WaitForCheckpointAsync(id, committed => committed.Frames >= CheckpointFrames);

        await a.KillAsync();
        var sinceKill = Stopwatch.StartNew();
        var atKill = (await CheckpointAsync(id)).Frames;
        var claim = await b.WaitForOutputAsync(Claimed(id, "b"), Patience);
        var takeover = sinceKill.Elapsed;
        using var clientB = b.CreateClient();
        var results = await WaitForResultsAsync(b, clientB, id);
        var completed = sinceKill.Elapsed;

        var framesOnB = await FramesProcessedAsync(clientB);
        output.WriteLine($"killed after {atKill} committed frames; taken over after {takeover.TotalSeconds:F1} s, completed after {completed.TotalSeconds:F1} s (lease {lease.TotalSeconds} s); {framesOnB} frames on b");
        Assert.Equal(atKill, int.Parse(claim.Groups["resume"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Frames - atKill, framesOnB);
        Assert.True(takeover < lease + TimeSpan.FromSeconds(10), $"taken over after {takeover}");
        Assert.Equal(Enumerable.Range(0, Frames), results);
    }

    [Fact]
    public async Task InstanceStopped_CheckpointsReleasesAndExits_AnotherResumesAtOnceWhereItStopped()
    {
        // A lease far longer than the test: a takeover before it expires can only come from the release.
        var lease = TimeSpan.FromMinutes(5);
        await using var a = await AppProcess.StartAsync(Settings("a", lease));
        var id = await SubmitAsync(a);
        await a.WaitForOutputAsync(Claimed(id, "a"), Patience);
        await using var b = await AppProcess.StartAsync(Settings("b", lease));
        await WaitForCheckpointAsync(id, committed => committed.Progress > CheckpointFrames * 100 / Frames);

        a.Terminate();
        var sinceStop = Stopwatch.StartNew();
        Assert.True(await a.WaitForExitAsync(Patience));
        var exited = sinceStop.Elapsed;
        var stoppedAt = await a.WaitForOutputAsync(new Regex(@"checkpointed at (?<frames>\d+) frames"), TimeSpan.Zero);
        var claim = await b.WaitForOutputAsync(Claimed(id, "b"), Patience);
        using var clientB = b.CreateClient();
        var results = await WaitForResultsAsync(b, clientB, id);

        var committed = int.Parse(stoppedAt.Groups["frames"].Value, CultureInfo.InvariantCulture);
        var framesOnB = await FramesProcessedAsync(clientB);
        output.WriteLine($"stopped after {committed} frames, exited in {exited.TotalSeconds:F2} s, resumed by b after {sinceStop.Elapsed.TotalSeconds:F1} s; {framesOnB} frames on b");
        // Within 5 s on a quiet machine: the host's shutdown timeout bounds it (GracefulStopTests checks that setting).
        Assert.Contains(a.Output, line => line.Contains("given back to the queue", StringComparison.Ordinal));
        // a ran frames 0 … committed-1 and committed them all when it stopped; b ran the rest: none twice.
        Assert.True(committed > CheckpointFrames, $"committed {committed}");
        Assert.Equal(committed, int.Parse(claim.Groups["resume"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Frames - committed, framesOnB);
        Assert.Equal(Enumerable.Range(0, Frames), results);
    }

    private Dictionary<string, string> Settings(string instance, TimeSpan lease) => new()
    {
        ["Jobs__Store"] = "postgres",
        ["ConnectionStrings__Jobs"] = ConnectionString,
        ["Jobs__DataDirectory"] = Data.Path,
        ["Jobs__InstanceName"] = instance,
        ["Jobs__LeaseSeconds"] = ((int)lease.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        ["Jobs__CheckpointFrames"] = CheckpointFrames.ToString(CultureInfo.InvariantCulture),
        ["Jobs__PollInterval"] = "00:00:00.200",
        // Rendered text lines, which the log patterns below read.
        ["ConsoleLog__Format"] = "Text",
    };

    private static async Task<string> SubmitAsync(AppProcess app)
    {
        using var client = app.CreateClient();
        return await JobTestClient.SubmitAsync(client, File.ReadAllBytes(TestVideo.LongClipPath), $"pipeline_id=yolo&max_frames={Frames}");
    }

    private static Regex Claimed(string id, string instance) =>
        new($"Job \"?{id}\"? claimed by \"?{instance}\"? .*resuming after (?<resume>\\d+) frames");

    /// <summary>What the store has committed for the job, read straight from the database.</summary>
    private async Task<(int Frames, int Progress)> CheckpointAsync(string id)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT checkpoint_frames, progress FROM jobs WHERE id = @id", connection);
        select.Parameters.AddWithValue("id", id);
        await using var reader = await select.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt32(0), reader.GetInt32(1)) : (0, 0);
    }

    /// <summary>Waits until the job's committed checkpoint satisfies <paramref name="reached"/>, reading it again at each
    /// change the database announces (the schema's trigger NOTIFYs every commit to a job), not on a timer.</summary>
    private async Task WaitForCheckpointAsync(string id, Func<(int Frames, int Progress), bool> reached)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresJobChangeFeed.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        using var guard = new CancellationTokenSource(Patience);
        while (!reached(await CheckpointAsync(id)))
        {
            await connection.WaitAsync(guard.Token);
        }
    }

    /// <summary>The frame indexes of the job's results, once <paramref name="app"/> has logged that it finished it.</summary>
    private static async Task<List<int>> WaitForResultsAsync(AppProcess app, HttpClient client, string id)
    {
        await app.WaitForOutputAsync(new Regex($"Job \"?{id}\"? (completed|failed)"), Patience);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/video/results/" + id));
        return json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("frame_index").GetInt32()).ToList();
    }

    /// <summary>The instance's <c>streamingapp_jobs_frames</c>: frames its pipelines processed for jobs.</summary>
    private static async Task<int> FramesProcessedAsync(HttpClient client)
    {
        var metrics = await client.GetStringAsync("/metrics");
        var match = Regex.Match(metrics, @"^streamingapp_jobs_frames(\{[^}]*\})? (?<n>[0-9.e+]+)$", RegexOptions.Multiline);
        return match.Success ? (int)double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : 0;
    }
}
