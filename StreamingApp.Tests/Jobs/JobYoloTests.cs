using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Jobs;
using StreamingApp.Core.Pipelines;
using StreamingApp.Tests.TestSupport;
using Xunit.Abstractions;

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
