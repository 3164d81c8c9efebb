using System.Net;
using Microsoft.Extensions.Options;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Jobs;
using StreamingApp.Core.Pipelines;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Jobs;

/// <summary><c>GET /v1/jobs/{id}/frames/{n}.jpg</c> on a real MP4 (ffmpeg seeks into the stored upload).</summary>
public sealed class JobFrameEndpointTests : IDisposable
{
    private static readonly byte[] Clip = File.ReadAllBytes(TestVideo.ClipPath);

    /// <summary>What the "fake" test pipeline finds in every frame.</summary>
    private static readonly Detection Thing = new(0.25f, 0.25f, 0.5f, 0.5f, "thing", 0.9f);

    private readonly TempDirectory _dir = new();
    private readonly JobsAppFactory _factory;
    private readonly HttpClient _client;

    public JobFrameEndpointTests()
    {
        _factory = new JobsAppFactory(_dir.Path);
        _client = _factory.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(9)] // the last frame of the second photo: one frame late would show the third
    [InlineData(10)] // the first frame of the third photo: one frame early would show the second
    [InlineData(39)] // the video's last frame
    public async Task Frame_CompletedJob_TheFrameAtTheVideosSizeWithItsResultDrawn(int frameIndex)
    {
        var jobId = await CompletedJobAsync(frameStride: 1);

        using var response = await _client.GetAsync($"/v1/jobs/{jobId}/frames/{frameIndex}.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        using var decoder = new TurboJpegDecoder(Options.Create(new ImagingOptions()));
        using var annotated = decoder.Decode(await response.Content.ReadAsByteArrayAsync());
        using var shown = TestVideo.FramedPhoto(TestVideo.PhotoAt(frameIndex));
        AnnotationAssert.DrawnOn(shown, annotated, [Thing], maxNoise: 8);
    }

    [Fact]
    public async Task Frame_UnknownJobOrUnprocessedFrame_404()
    {
        var jobId = await CompletedJobAsync(frameStride: 5);

        using var unprocessed = await _client.GetAsync($"/v1/jobs/{jobId}/frames/3.jpg"); // stride 5
        using var pastTheEnd = await _client.GetAsync($"/v1/jobs/{jobId}/frames/400.jpg");
        using var unknown = await _client.GetAsync($"/v1/jobs/{Guid.NewGuid()}/frames/0.jpg");
        using var notAnId = await _client.GetAsync("/v1/jobs/nope/frames/0.jpg");

        Assert.Equal(HttpStatusCode.NotFound, unprocessed.StatusCode);
        Assert.Contains("frame_stride 5", await unprocessed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, pastTheEnd.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
    }

    [Fact]
    public async Task Frame_JobNotCompleted_409()
    {
        var jobId = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=gated");
        await JobTestClient.WaitForAsync(_factory, jobId, JobStatus.Running);

        using var response = await _client.GetAsync($"/v1/jobs/{jobId}/frames/0.jpg");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("not_completed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> CompletedJobAsync(int frameStride)
    {
        var jobId = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=fake", ("frame_stride", frameStride.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(JobStatus.Completed, (await JobTestClient.WaitForAsync(_factory, jobId, JobStatus.Completed)).Status);
        return jobId;
    }
}
