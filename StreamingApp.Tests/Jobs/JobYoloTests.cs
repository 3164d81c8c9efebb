using Microsoft.AspNetCore.Hosting;

namespace StreamingApp.Tests.Jobs;

/// <summary>The whole job path with the real YOLOX pipeline, real ffmpeg and real SQLite.</summary>
public sealed class JobYoloTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Submit_YoloOnPhotoClip_EachFrameMatchesThePipelineOnThePhotoShown()
    {
        await using var factory = new JobsYoloFactory(_dir.Path);
        using var client = factory.CreateClient();

        var jobId = await JobTestClient.SubmitAsync(client, File.ReadAllBytes(TestVideo.ClipPath), "pipeline_id=yolo", ("frame_stride", "5"));
        var done = await JobTestClient.WaitForAsync(factory, jobId, JobStatus.Completed);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/video/results/" + jobId));

        Assert.Equal(JobStatus.Completed, done.Status);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(TestVideo.Photos.Length, results.Count);
        Assert.True(factory.Services.GetRequiredService<IPipelineCatalog>().TryGet("yolo", out var yolo));
        var total = 0;
        foreach (var entry in results)
        {
            var frameIndex = entry.GetProperty("frame_index").GetInt32();
            var got = JsonSerializer.Deserialize(entry.GetProperty("result").GetRawText(), PipelineJson.Default.FrameResult)!;
            using var photo = TestVideo.FramedPhoto(TestVideo.PhotoAt(frameIndex));
            var expected = yolo.Process(photo, InferenceSlot.Standalone(1), out _);
            output.WriteLine($"frame {frameIndex}: job [{Describe(got)}] photo [{Describe(expected)}]");

            // Video compression moves scores a little: every confident detection on the photo is in the job's
            // frame result (same label, same place), and the job found nothing confident the photo lacks.
            AssertCovers(expected.Detections, got.Detections);
            AssertCovers(got.Detections, expected.Detections);
            total += got.Detections.Count;
        }

        Assert.True(total > 0, "the photos show COCO objects");
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(total, summary.GetProperty("detections").GetInt32());
    }

    [Fact]
    public async Task Submit_YoloOn2880x2160Clip_SameDetectionsAsOnThe640x480Clip()
    {
        // The same photos framed at 4.5 times the size: ffmpeg scales both clips' frames to 416x312 before inference.
        await using var factory = new JobsYoloFactory(_dir.Path);
        using var client = factory.CreateClient();

        var small = await DetectionsAsync(factory, client, TestVideo.ClipPath, ("frame_stride", "5"));
        var large = await DetectionsAsync(factory, client, TestVideo.ClipAt(2880, 2160, fps: 2), ("frame_stride", "2"));

        Assert.Equal(TestVideo.Photos.Length, small.Count);
        Assert.Equal(small.Count, large.Count);
        for (var i = 0; i < small.Count; i++)
        {
            output.WriteLine($"photo {i}: 640x480 [{Describe(small[i])}] 2880x2160 [{Describe(large[i])}]");
            AssertCovers(small[i].Detections, large[i].Detections);
            AssertCovers(large[i].Detections, small[i].Detections);
        }

        Assert.True(small.Sum(r => r.Detections.Count) > 0, "the photos show COCO objects");
    }

    private static async Task<List<FrameResult>> DetectionsAsync(
        JobsYoloFactory factory, HttpClient client, string clip, params (string Name, string Value)[] fields)
    {
        var jobId = await JobTestClient.SubmitAsync(client, File.ReadAllBytes(clip), "pipeline_id=yolo", fields);
        Assert.Equal(JobStatus.Completed, (await JobTestClient.WaitForAsync(factory, jobId, JobStatus.Completed)).Status);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/video/results/" + jobId));
        return json.RootElement.GetProperty("results").EnumerateArray()
            .Select(entry => JsonSerializer.Deserialize(entry.GetProperty("result").GetRawText(), PipelineJson.Default.FrameResult)!)
            .ToList();
    }

    private static void AssertCovers(IReadOnlyList<Detection> confidentFrom, IReadOnlyList<Detection> within)
    {
        foreach (var d in confidentFrom)
        {
            if (d.Score >= 0.5f)
            {
                BoxAssert.HasDetection(within, d.Label, d.X, d.Y, d.W, d.H, minIou: 0.8f);
            }
        }
    }

    private static string Describe(FrameResult r) =>
        string.Join(", ", r.Detections.Select(d => FormattableString.Invariant($"{d.Label} {d.Score:F2}")));

    private sealed class JobsYoloFactory(string dataDirectory) : StreamingAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Jobs:DataDirectory", dataDirectory);
        }
    }
}
