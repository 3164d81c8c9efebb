using StreamingApp.Tests.Inference.Ocr;

namespace StreamingApp.Tests.Jobs;

/// <summary>The job path with the real PaddleOCR pipeline on a 4K clip, which ffmpeg scales to 1920x1080 for it.</summary>
public sealed class JobOcrTests : IDisposable
{
    /// <summary>Sign-sized text on a 3840x2160 frame: 80-120 px tall here, 20-30 px where the detector looks (960 px wide).</summary>
    private static readonly TextImageSpec Sign4K = new("sign-4k", 3840, 2160, "white", "black",
    [
        new("EXIT 42", 200, 200, 120),
        new("Platform 7 to Berlin", 200, 700, 96),
        new("Gate B12 closes in 15 min", 200, 1200, 80),
    ]);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Submit_OcrOn3840x2160Clip_ReadsEveryLine()
    {
        var clip = Path.Combine(_dir.Path, "sign.mp4");
        OcrTextImages.EncodeClip(Sign4K, clip, seconds: 2);
        await using var factory = new StreamingAppFactory();
        using var client = factory.CreateClient();

        var jobId = await JobTestClient.SubmitAsync(client, await File.ReadAllBytesAsync(clip), "pipeline_id=ocr");
        var done = await JobTestClient.WaitForAsync(factory, jobId, JobStatus.Completed);
        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/video/results/" + jobId));

        Assert.Equal(JobStatus.Completed, done.Status);
        var frames = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, frames.Count);
        foreach (var frame in frames)
        {
            var texts = frame.GetProperty("result").GetProperty("texts").EnumerateArray().Select(t => t.GetProperty("text").GetString()).ToList();
            Assert.Equal(Sign4K.Lines.Select(l => l.Text), texts);
        }
    }
}
