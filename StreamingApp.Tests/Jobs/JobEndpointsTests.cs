using System.Globalization;
using System.Net.Http.Headers;
using static StreamingApp.Tests.Jobs.JobTestClient;

namespace StreamingApp.Tests.Jobs;

public sealed class JobEndpointsTests : IDisposable
{
    private static readonly byte[] Clip = File.ReadAllBytes(TestVideo.ClipPath);
    private readonly JobsAppFactory _factory;
    private readonly HttpClient _client;

    public JobEndpointsTests()
    {
        _factory = new JobsAppFactory();
        _client = _factory.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Submit_ValidClip_MovesThroughPendingRunningCompletedWithRisingProgress()
    {
        var seen = new List<JobRecord>();
        using var subscription = _factory.Services.GetRequiredService<IJobChangeFeed>().Subscribe(change => { lock (seen) { seen.Add(change.Job!); } });
        _factory.FrameDelay = TimeSpan.FromMilliseconds(10);

        var jobId = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=fake", ("frame_stride", "2"));
        await JobTestClient.WaitForAsync(_factory, jobId, JobStatus.Completed);
        using var status = JsonDocument.Parse(await _client.GetStringAsync("/v1/video/status/" + jobId));

        List<JobRecord> mine;
        lock (seen)
        {
            mine = seen.Where(j => j.Id == jobId).ToList();
        }

        Assert.Equal(JobStatus.Pending, mine[0].Status);
        Assert.Equal(JobStatus.Running, mine[1].Status);
        Assert.Equal(JobStatus.Completed, mine[^1].Status);
        var progress = mine.Select(j => j.Progress).ToList();
        Assert.Equal(progress.Order(), progress);
        Assert.True(progress.Distinct().Count() > 5, "progress rises in steps: " + string.Join(",", progress));
        Assert.Equal("completed", status.RootElement.GetProperty("status").GetString());
        Assert.Equal(100, status.RootElement.GetProperty("progress").GetInt32());
        Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("error").ValueKind);
        Assert.Equal(
            ["job_id", "status", "progress", "created_at", "updated_at", "error", "processed_by"],
            status.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Results_CompletedJob_OneEntryPerProcessedFrameAndSummary()
    {
        var jobId = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=fake&frame_stride=5&max_frames=6");
        await JobTestClient.WaitForAsync(_factory, jobId, JobStatus.Completed);

        using var json = JsonDocument.Parse(await _client.GetStringAsync("/v1/video/results/" + jobId));

        var root = json.RootElement;
        Assert.Equal(("fake", "completed"), (root.GetProperty("pipeline_id").GetString(), root.GetProperty("status").GetString()));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([0, 5, 10, 15, 20, 25], results.Select(r => r.GetProperty("frame_index").GetInt32()));
        Assert.Equal(2000, results[2].GetProperty("timestamp_ms").GetInt64());
        Assert.Equal("thing", results[0].GetProperty("result").GetProperty("detections")[0].GetProperty("label").GetString());
        var summary = root.GetProperty("summary");
        Assert.Equal((6, 6, 6), (summary.GetProperty("frames").GetInt32(), summary.GetProperty("detections").GetInt32(), summary.GetProperty("labels").GetProperty("thing").GetInt32()));
    }

    [Fact]
    public async Task Results_JobNotCompleted_409()
    {
        var jobId = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=gated");
        await JobTestClient.WaitForAsync(_factory, jobId, JobStatus.Running);

        using var response = await _client.GetAsync("/v1/video/results/" + jobId);
        _factory.Gate.Set();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("not_completed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/video/status/")]
    [InlineData("/v1/video/results/")]
    [InlineData("/v1/jobs/")]
    public async Task Get_UnknownJob_404(string prefix)
    {
        var suffix = prefix == "/v1/jobs/" ? "/video" : "";

        using var unknown = await _client.GetAsync(prefix + Guid.NewGuid() + suffix);
        using var notAGuid = await _client.GetAsync(prefix + "..%2Fjobs.db" + suffix);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAGuid.StatusCode);
    }

    [Fact]
    public async Task Submit_NotMp4Bytes_400AndNothingStored()
    {
        using var form = JobTestClient.Form(File.ReadAllBytes(TestPaths.CocoImage(TestVideo.Photos[0])), "photo.mp4");

        using var response = await _client.PostAsync("/v1/video/submit?pipeline_id=fake", form);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_video");
        AssertNothingStored();
    }

    [Fact]
    public async Task Submit_FtypThenGarbage_400FromFfprobe()
    {
        using var form = JobTestClient.Form([0, 0, 0, 24, (byte)'f', (byte)'t', (byte)'y', (byte)'p', .. new byte[5000]]);

        using var response = await _client.PostAsync("/v1/video/submit?pipeline_id=fake", form);

        var detail = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_video");
        Assert.Equal("The file is not a readable MP4 video.", detail);
        AssertNothingStored();
    }

    [Fact]
    public async Task Submit_UnknownPipeline_404()
    {
        using var form = JobTestClient.Form(Clip);

        using var response = await _client.PostAsync("/v1/video/submit?pipeline_id=nope", form);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "invalid_pipeline");
    }

    [Fact]
    public async Task Submit_MissingPipelineId_400()
    {
        using var form = JobTestClient.Form(Clip);

        using var response = await _client.PostAsync("/v1/video/submit", form);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_pipeline");
    }

    [Fact]
    public async Task Submit_NoFileField_400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("2"), "frame_stride" } };

        using var response = await _client.PostAsync("/v1/video/submit?pipeline_id=fake", form);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "missing_file");
    }

    [Fact]
    public async Task Submit_NotMultipart_400()
    {
        using var body = new ByteArrayContent(Clip);
        body.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");

        using var response = await _client.PostAsync("/v1/video/submit?pipeline_id=fake", body);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "missing_file");
    }

    [Theory]
    [InlineData("frame_stride", "0")]
    [InlineData("frame_stride", "abc")]
    [InlineData("max_frames", "-3")]
    public async Task Submit_BadNumbers_400(string field, string value)
    {
        using var form = JobTestClient.Form(Clip, "clip.mp4", (field, value));

        using var response = await _client.PostAsync("/v1/video/submit?pipeline_id=fake", form);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_parameter");
        AssertNothingStored();
    }

    [Fact]
    public async Task Submit_OverConfiguredLimit_413WithoutStoringIt()
    {
        await using var small = new JobsAppFactory(maxUploadBytes: 100_000);
        using var client = small.CreateClient();
        using var form = JobTestClient.Form(Clip);
        // No Content-Length: the limit must hold while the body streams in, not only from the header.
        await form.LoadIntoBufferAsync();
        form.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit?pipeline_id=fake") { Content = new StreamContent(await form.ReadAsStreamAsync()) };
        request.Content.Headers.ContentType = form.Headers.ContentType;
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        JobTestClient.AssertNothingStored(small.DataDirectory);
    }

    [Fact]
    public async Task Submit_ContentLengthOverLimit_413BeforeReadingTheBody()
    {
        await using var small = new JobsAppFactory(maxUploadBytes: 100_000);
        using var client = small.CreateClient();
        using var form = JobTestClient.Form(Clip);

        using var response = await client.PostAsync("/v1/video/submit?pipeline_id=fake", form);

        var detail = await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        Assert.Equal("The upload is larger than the limit of 100000 bytes.", detail);
        Assert.Empty(Directory.GetFiles(Path.Combine(small.DataDirectory, "tmp")));
    }

    [Fact]
    public async Task Submit_FileName_StoredUnderJobIdAndSanitized()
    {
        using var form = JobTestClient.Form(Clip, "../../etc/evil\u0001name.mp4");

        using var response = await _client.PostAsync("/v1/video/submit?pipeline_id=gated", form);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var jobId = json.RootElement.GetProperty("job_id").GetString()!;
        var job = await _factory.Services.GetRequiredService<IJobStore>().GetAsync(jobId, null, default);

        Assert.Equal("evilname.mp4", job!.OriginalFileName);
        Assert.Equal(Clip, await File.ReadAllBytesAsync(Path.Combine(_factory.DataDirectory, "uploads", jobId + ".mp4")));
        Assert.Equal("/v1/video/status/" + jobId, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Video_RangeRequest_206WithTheBytesAsked()
    {
        var jobId = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=gated");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{jobId}/video");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Clip[100..200], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task List_SeveralJobs_NewestFirstPagedWithCount()
    {
        var first = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=gated");
        var second = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=gated");
        var third = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=gated");

        using var json = JsonDocument.Parse(await _client.GetStringAsync("/v1/jobs?limit=2&skip=0"));

        Assert.Equal(3, json.RootElement.GetProperty("count").GetInt32());
        var jobs = json.RootElement.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal([third, second], jobs.Select(j => j.GetProperty("job_id").GetString()));
        Assert.Equal("gated", jobs[0].GetProperty("pipeline_id").GetString());
        Assert.DoesNotContain(first, jobs.Select(j => j.GetProperty("job_id").GetString()));
    }

    [Fact]
    public async Task Delete_CompletedJob_204AndUploadResultsAndRowGone()
    {
        var jobId = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=fake&frame_stride=10");
        await JobTestClient.WaitForAsync(_factory, jobId, JobStatus.Completed);

        using var deleted = await _client.DeleteAsync("/v1/jobs/" + jobId);
        using var again = await _client.DeleteAsync("/v1/jobs/" + jobId);
        using var status = await _client.GetAsync("/v1/video/status/" + jobId);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_factory.DataDirectory, "uploads")));
        Assert.Empty(await _factory.Services.GetRequiredService<IJobStore>().GetResultsPageAsync(jobId, null, -1, 10, default));
    }

    [Fact]
    public async Task Delete_RunningJob_ItsWorkerStopsAndTakesTheNextJob()
    {
        var running = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=gated");
        await JobTestClient.WaitForAsync(_factory, running, JobStatus.Running);
        var next = await JobTestClient.SubmitAsync(_client, Clip, "pipeline_id=fake&frame_stride=10");

        using var deleted = await _client.DeleteAsync("/v1/jobs/" + running);
        _factory.Gate.Set();
        var done = await JobTestClient.WaitForAsync(_factory, next, JobStatus.Completed);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Null(await _factory.Services.GetRequiredService<IJobStore>().GetAsync(running, null, default));
        Assert.Equal([next + ".mp4"], Directory.GetFiles(Path.Combine(_factory.DataDirectory, "uploads")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Submit_StorageFull_507AndNothingStored()
    {
        await using var small = new JobsAppFactory(settings: new Dictionary<string, string?> { ["Jobs:MaxStorageBytes"] = (Clip.Length * 3 / 2).ToString(CultureInfo.InvariantCulture) });
        using var client = small.CreateClient();
        await JobTestClient.SubmitAsync(client, Clip, "pipeline_id=gated");

        using var form = JobTestClient.Form(Clip);
        using var response = await client.PostAsync("/v1/video/submit?pipeline_id=gated", form);

        var detail = await AssertErrorAsync(response, (HttpStatusCode)507, "storage_full");
        Assert.StartsWith("The job storage is full", detail, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(small.DataDirectory, "uploads")));
        Assert.Empty(Directory.GetFiles(Path.Combine(small.DataDirectory, "tmp")));
    }

    [Fact]
    public async Task Jobs_OfAnotherUser_AreNotFound()
    {
        await using var app = new JobsAppFactory(configureServices: TestUsers.Add);
        using var alice = TestUsers.Client(app, "alice");
        using var bob = TestUsers.Client(app, "bob");
        var jobId = await JobTestClient.SubmitAsync(alice, Clip, "pipeline_id=fake&frame_stride=10");
        await JobTestClient.WaitForAsync(app, jobId, JobStatus.Completed);

        var bobSees = new[]
        {
            (await bob.GetAsync("/v1/video/status/" + jobId)).StatusCode,
            (await bob.GetAsync("/v1/video/results/" + jobId)).StatusCode,
            (await bob.GetAsync($"/v1/jobs/{jobId}/video")).StatusCode,
            (await bob.DeleteAsync("/v1/jobs/" + jobId)).StatusCode,
        };
        using var bobList = JsonDocument.Parse(await bob.GetStringAsync("/v1/jobs"));
        using var aliceList = JsonDocument.Parse(await alice.GetStringAsync("/v1/jobs"));

        Assert.All(bobSees, code => Assert.Equal(HttpStatusCode.NotFound, code));
        Assert.Equal(0, bobList.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(1, aliceList.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("alice", (await app.Services.GetRequiredService<IJobStore>().GetAsync(jobId, null, default))!.Owner);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("/v1/jobs/" + jobId)).StatusCode);
    }

    private void AssertNothingStored() => JobTestClient.AssertNothingStored(_factory.DataDirectory);
}
