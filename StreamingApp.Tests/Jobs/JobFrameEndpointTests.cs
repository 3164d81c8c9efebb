namespace StreamingApp.Tests.Jobs;

/// <summary><c>GET /v1/jobs/{id}/frames/{n}.jpg</c> on a real MP4 (ffmpeg seeks into the stored upload).</summary>
public sealed class JobFrameEndpointTests(JobFrameEndpointTests.Jobs jobs) : IClassFixture<JobFrameEndpointTests.Jobs>
{
    /// <summary>What the "fake" test pipeline finds in every frame.</summary>
    private static readonly Detection Thing = new(0.25f, 0.25f, 0.5f, 0.5f, "thing", 0.9f);

    /// <summary>One app with two completed jobs on the test clip: every frame, and every fifth frame.</summary>
    public sealed class Jobs : IAsyncLifetime
    {
        private readonly TempDirectory _dir = new();

        public Jobs()
        {
            Factory = new JobsAppFactory(_dir.Path);
            Client = Factory.CreateClient();
        }

        public JobsAppFactory Factory { get; }

        public HttpClient Client { get; }

        public string EveryFrame { get; private set; } = "";

        public string EveryFifthFrame { get; private set; } = "";

        public async Task InitializeAsync()
        {
            EveryFrame = await CompletedJobAsync(frameStride: 1);
            EveryFifthFrame = await CompletedJobAsync(frameStride: 5);
        }

        public Task DisposeAsync()
        {
            Client.Dispose();
            Factory.Dispose();
            _dir.Dispose();
            return Task.CompletedTask;
        }

        private async Task<string> CompletedJobAsync(int frameStride)
        {
            var stride = frameStride.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var jobId = await JobTestClient.SubmitAsync(Client, File.ReadAllBytes(TestVideo.ClipPath), "pipeline_id=fake", ("frame_stride", stride));
            Assert.Equal(JobStatus.Completed, (await JobTestClient.WaitForAsync(Factory, jobId, JobStatus.Completed)).Status);
            return jobId;
        }
    }

    [Theory]
    [InlineData(9)] // the last frame of the second photo: one frame late would show the third
    [InlineData(10)] // the first frame of the third photo: one frame early would show the second
    [InlineData(39)] // the video's last frame
    public async Task Frame_CompletedJob_TheFrameAtTheVideosSizeWithItsResultDrawn(int frameIndex)
    {
        using var response = await jobs.Client.GetAsync($"/v1/jobs/{jobs.EveryFrame}/frames/{frameIndex}.jpg");

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
        using var unprocessed = await jobs.Client.GetAsync($"/v1/jobs/{jobs.EveryFifthFrame}/frames/3.jpg");
        using var pastTheEnd = await jobs.Client.GetAsync($"/v1/jobs/{jobs.EveryFrame}/frames/400.jpg");
        using var unknown = await jobs.Client.GetAsync($"/v1/jobs/{Guid.NewGuid()}/frames/0.jpg");
        using var notAnId = await jobs.Client.GetAsync("/v1/jobs/nope/frames/0.jpg");

        Assert.Equal(HttpStatusCode.NotFound, unprocessed.StatusCode);
        Assert.Contains("frame_stride 5", await unprocessed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, pastTheEnd.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAnId.StatusCode);
    }

    [Fact]
    public async Task Frame_JobNotCompleted_409()
    {
        // Held at its first frame until the fixture's app is disposed (the completed jobs are done by then).
        var jobId = await JobTestClient.SubmitAsync(jobs.Client, File.ReadAllBytes(TestVideo.ClipPath), "pipeline_id=gated");
        await JobTestClient.WaitForAsync(jobs.Factory, jobId, JobStatus.Running);

        using var response = await jobs.Client.GetAsync($"/v1/jobs/{jobId}/frames/0.jpg");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("not_completed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
