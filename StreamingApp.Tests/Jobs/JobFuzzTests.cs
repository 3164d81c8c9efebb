using StreamingApp.Tests.Streaming;

namespace StreamingApp.Tests.Jobs;

/// <summary>
/// The upload path under fuzzing: mutated MP4s made from the real test clip (seeded, so every run is the same),
/// each refused at submit or run to an end within the run limit, while the server keeps serving a live stream.
/// </summary>
public sealed class JobFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261130;

    /// <summary>
    /// The photo clip at 320x240, 2 fps (16 frames): every case costs three ffmpeg/ffprobe starts (about 0.15 s of CPU
    /// each, loading libav*), so the frames are kept small to keep the campaign near a minute of CPU.
    /// </summary>
    private static readonly byte[] Clip = File.ReadAllBytes(TestVideo.ClipAt(320, 240, fps: 2));
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Submit_200MutatedMp4s_EachRefusedOrEndsWithinTheRunLimit_NothingLostAndTheServerServes()
    {
        // The submit rate limit is not what this test is about: 200 uploads in a minute or two are let through.
        await using var factory = new JobsAppFactory(_dir.Path)
        {
            Settings = { ["Jobs:MaxRunSeconds"] = "30", ["RateLimits:SubmitsPerMinute"] = "100000" },
        };
        using var client = factory.CreateClient();
        var baseline = await JobTestClient.SubmitAsync(client, Clip, "pipeline_id=fake", ("frame_stride", "2"));
        await JobTestClient.WaitForAsync(factory, baseline, JobStatus.Completed);
        var baselineResults = await client.GetStringAsync("/v1/video/results/" + baseline);
        using var neighbour = new Neighbour(factory);

        var (refused, accepted) = await SubmitMutantsAsync(client, 200 * Fuzzing.Scale);
        var outcomes = await WaitForEndsAsync(factory, accepted);

        var answered = await neighbour.StopAsync();
        output.WriteLine($"{refused.Count + accepted.Count} mutants: {refused.Count} refused at submit, {outcomes.Count(o => o.Completed)} completed, {outcomes.Count(o => !o.Completed)} failed; neighbour stream: {answered} results");
        foreach (var group in refused.Concat(outcomes.Select(o => o.Text)).GroupBy(t => t).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"{group.Count(),5}  {group.Key}");
        }

        Assert.True(answered >= 3, "the neighbour stream kept getting results");
        Assert.Equal(baselineResults, await client.GetStringAsync("/v1/video/results/" + baseline));
        Assert.All(accepted.Select(a => a.JobId).Prepend(baseline), id => Assert.True(File.Exists(Path.Combine(_dir.Path, "uploads", id + ".mp4")), id));
        var after = await JobTestClient.SubmitAsync(client, Clip, "pipeline_id=fake", ("frame_stride", "2"));
        Assert.Equal(JobStatus.Completed, (await JobTestClient.WaitForAsync(factory, after, JobStatus.Completed)).Status);
    }

    private static async Task<(List<string> Refused, List<(string JobId, string Case)> Accepted)> SubmitMutantsAsync(HttpClient client, int count)
    {
        var kinds = Enum.GetValues<MalformedVideos.Kind>();
        var random = new Random(Seed);
        var refused = new List<string>();
        var accepted = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var kind = kinds[i % kinds.Length];
            using var form = JobTestClient.Form(MalformedVideos.Make(kind, Clip, random), "fuzz.mp4", ("frame_stride", "2"));
            using var response = await client.PostAsync("/v1/video/submit?pipeline_id=fake", form);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted.Add((json.RootElement.GetProperty("job_id").GetString()!, $"case {i} ({kind})"));
                continue;
            }

            // A refusal is a clear 400 with a sentence, never a server error.
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"case {i} ({kind}): {response.StatusCode} {json.RootElement}");
            var detail = json.RootElement.GetProperty("detail").GetString();
            JobTestClient.AssertPlainSentence(detail);
            refused.Add($"400 {json.RootElement.GetProperty("error").GetString()}: {detail}");
        }

        return (refused, accepted);
    }

    private static async Task<List<(bool Completed, string Text)>> WaitForEndsAsync(JobsAppFactory factory, List<(string JobId, string Case)> accepted)
    {
        var outcomes = new List<(bool, string)>();
        foreach (var (jobId, name) in accepted)
        {
            var job = await JobTestClient.WaitForAsync(factory, jobId, JobStatus.Completed);
            Assert.True(job.Status is JobStatus.Completed or JobStatus.Failed, $"{name}: {job.Status}");
            if (job.Status == JobStatus.Failed)
            {
                JobTestClient.AssertPlainSentence(job.Error);
            }

            // Frame numbers vary from mutant to mutant; the kind of sentence is what the summary counts.
            outcomes.Add((job.Status == JobStatus.Completed, job.Status == JobStatus.Completed ? "completed" : "failed: " + Digitless(job.Error!)));
        }

        return outcomes;
    }

    private static string Digitless(string text) => new([.. text.Select(c => char.IsAsciiDigit(c) ? 'N' : c)]);

    /// <summary>A live stream on the same server: a photo, its answer, a pause (a camera's pace, not a flood), until stopped.</summary>
    private sealed class Neighbour : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<int> _run;

        public Neighbour(JobsAppFactory factory)
        {
            var photo = File.ReadAllBytes(TestPaths.CocoImage("000000001584.jpg"));
            _run = Task.Run(async () =>
            {
                var socket = await factory.Server.CreateWebSocketClient()
                    .ConnectAsync(new Uri(factory.Server.BaseAddress, "/ws/video/stream?pipeline_id=fake"), CancellationToken.None);
                using var stream = new StreamClient(socket);
                var results = 0;
                while (!_stop.IsCancellationRequested || results < 3)
                {
                    var answer = await stream.SendFrameAndReceiveAsync(photo);
                    Assert.True(answer.TryGetProperty("result", out _), answer.ToString());
                    results++;
                    await Task.Delay(100, CancellationToken.None);
                }

                await stream.CloseAndDrainAsync();
                return results;
            });
        }

        public async Task<int> StopAsync()
        {
            await _stop.CancelAsync();
            return await _run;
        }

        public void Dispose() => _stop.Dispose();
    }
}
