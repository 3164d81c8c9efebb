using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;
using Moq;
using StreamingApp.Core.Jobs.Sqlite;
using StreamingApp.Endpoints;

namespace StreamingApp.Tests.Jobs;

/// <summary><c>GET /v1/video/results/{id}</c>'s body, written while the results are read page by page from a real store.</summary>
public sealed class JobResultsWriterTests : IDisposable
{
    private const int Frames = JobStoreExtensions.ResultsPageSize * 2 + 34;
    private readonly TempDirectory _dir = new();
    private readonly SqliteJobStore _store;

    public JobResultsWriterTests()
    {
        var database = new SqliteJobDatabase(Path.Combine(_dir.Path, "jobs.db"));
        new SqliteJobSchema(database).MigrateAsync(default).GetAwaiter().GetResult();
        _store = new SqliteJobStore(database, new JobChangeSubscribers(), new FakeTimeProvider());
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WriteAsync_MoreFramesThanOneStorePage_EveryResultInFrameOrderThenTheSummary()
    {
        var (job, summary) = await CompletedJobAsync();
        var (context, body, _) = Context();

        await JobResultsWriter.WriteAsync(body, _store, job, null, summary, context);

        using var json = JsonDocument.Parse(body.ToArray());
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, Frames).Select(i => i * 2), results.Select(r => r.GetProperty("frame_index").GetInt32()));
        Assert.Equal(Frames - 1, results[^1].GetProperty("result").GetProperty("n").GetInt32());
        Assert.Equal(Frames, json.RootElement.GetProperty("summary").GetProperty("frames").GetInt32());
    }

    [Fact]
    public async Task WriteAsync_JobDeletedWhileBeingRead_ConnectionCutInsteadOfAShortList()
    {
        var (job, summary) = await CompletedJobAsync();
        var (context, body, lifetime) = Context();
        // The real store's pages, with the job deleted by someone else once its first page was read.
        var deleting = new Mock<IJobStore>();
        deleting.Setup(s => s.GetResultsPageAsync(job.Id, null, It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .Returns(async (string id, string? owner, int after, int limit, CancellationToken token) =>
            {
                var page = await _store.GetResultsPageAsync(id, owner, after, limit, token);
                await _store.DeleteAsync(id, null, token);
                return page;
            });

        await JobResultsWriter.WriteAsync(body, deleting.Object, job, null, summary, context);

        Assert.True(lifetime.Aborted);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body.ToArray()));
    }

    private async Task<(JobRecord Job, JobSummary Summary)> CompletedJobAsync()
    {
        var created = await _store.CreateAsync(new NewJob(Guid.NewGuid().ToString("D"), "yolo", 2, null, "clip.mp4", 1), default);
        var claim = (await _store.TryClaimNextAsync(new JobClaimRequest("one", TimeSpan.FromMinutes(1), 3), default))!;
        var results = Enumerable.Range(0, Frames).Select(i => new JobFrameResult(i * 2, i * 400L, $$"""{"detections":[],"n":{{i}}}""")).ToList();
        var summary = new JobSummary(Frames, 0, new Dictionary<string, int>());
        Assert.True(await _store.CompleteAsync(claim.Lease, new JobCheckpoint(results, Frames, 100, summary), default));
        return ((await _store.GetAsync(created.Id, null, default))!, summary);
    }

    private static (HttpContext Context, MemoryStream Body, Lifetime Lifetime) Context()
    {
        var context = new DefaultHttpContext();
        var lifetime = new Lifetime();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        return (context, new MemoryStream(), lifetime);
    }

    private sealed class Lifetime : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public bool Aborted { get; private set; }

        public void Abort() => Aborted = true;
    }
}
