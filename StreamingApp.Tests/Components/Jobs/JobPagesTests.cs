using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using StreamingApp.Core.Jobs.Sqlite;

namespace StreamingApp.Tests.Components.Jobs;

/// <summary>
/// /jobs and /jobs/{id} over a real SQLite job store: the pages follow the store's change notifications, so a job
/// that moves shows it without a reload or a poll.
/// </summary>
public sealed class JobPagesTests : IDisposable
{
    private const string Id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static readonly JobClaimRequest Claim = new("test", TimeSpan.FromMinutes(5), 3);
    private readonly TempDirectory _dir = new();
    private readonly UiTestContext _ui;
    private SqliteJobStore _store = default!;
    private JobLease? _lease;
    private readonly BunitJSModuleInterop _replay;
    private BunitAuthorizationContext _auth = default!;

    public JobPagesTests()
    {
        _ui = new UiTestContext(ui =>
        {
            var database = new SqliteJobDatabase(Path.Combine(_dir.Path, "jobs.db"));
            new SqliteJobSchema(database).MigrateAsync(default).GetAwaiter().GetResult();
            var changes = new JobChangeSubscribers();
            _store = new SqliteJobStore(database, changes, ui.Time);
            ui.Services.AddSingleton<IJobStore>(_store);
            ui.Services.AddSingleton<IJobChangeFeed>(changes);
            ui.Services.AddSingleton(new JobDataFolder(_dir.Path));
            ui.Services.AddSingleton<JobDeletion>();
            ui.Services.AddSingleton<IJobOwnerResolver, ClaimsJobOwnerResolver>();
            ui.Services.AddScoped<CircuitJobOwner>();
            ui.Services.AddLogging();
            _auth = ui.AddAuthorization();
        });
        _ui.SetupElementSize();
        var uploader = _ui.JSInterop.SetupModule("./js/upload.js").SetupModule("createUploader", _ => true);
        uploader.SetupVoid("dispose", _ => true).SetVoidResult();
        _replay = _ui.JSInterop.SetupModule("./js/job-replay.js").SetupModule("createReplay", _ => true);
        _replay.Setup<bool>("load", _ => true).SetResult(true);
        _replay.SetupVoid("dispose", _ => true).SetVoidResult();
    }

    public void Dispose()
    {
        _ui.Dispose();
        _dir.Dispose();
    }

    private Task<JobRecord> SubmitAsync(string id = Id, string name = "clip.mp4", string? owner = null) =>
        _store.CreateAsync(new NewJob(id, "yolo", 1, null, name, 1000, owner), default);

    private async Task ClaimAsync() => _lease = (await _store.TryClaimNextAsync(Claim, default))!.Lease;

    private Task UpdateProgressAsync(int framesDone, int progress) => _store.UpdateProgressAsync(_lease!, framesDone, progress, default);

    private Task CompleteClaimedAsync(params JobFrameResult[] results) =>
        _store.CompleteAsync(_lease!, new JobCheckpoint(results, 1, 100, new JobSummary(1, 1, new Dictionary<string, int> { ["bus"] = 1 })), default);

    private async Task ClaimAndCompleteAsync()
    {
        await ClaimAsync();
        await CompleteClaimedAsync(new JobFrameResult(0, 0, """{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.9}]}"""));
    }

    [Fact]
    public async Task JobsPage_JobSubmittedAndRunning_TheListFollowsWithoutAReload()
    {
        await SubmitAsync("a0000000-0000-0000-0000-000000000000", "first.mp4");
        var cut = _ui.Render<JobsPage>();
        Assert.Single(cut.FindAll("[data-testid=job-row]"));

        await ClaimAsync();
        await UpdateProgressAsync(5, 50);
        await SubmitAsync();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=job-row]");
            Assert.Equal(2, rows.Count);
            Assert.Contains(rows, r => r.GetAttribute("data-status") == "running"
                && r.QuerySelector("[role=progressbar]")!.GetAttribute("aria-valuenow") == "50");
        });
    }

    [Fact]
    public async Task JobPage_Running_ProgressFollowsThenCompletedShowsTheSummaryAndLoadsTheReplay()
    {
        await SubmitAsync();
        await ClaimAsync();
        var cut = RenderJobPage();
        Assert.Equal("running", cut.Find("[data-testid=job-status]").TextContent);
        Assert.Equal("test", cut.Find("[data-testid=processed-by]").TextContent);
        Assert.Empty(_replay.Invocations["load"]);

        await UpdateProgressAsync(3, 30);
        cut.WaitForAssertion(() => Assert.Equal("30", cut.Find("[role=progressbar]").GetAttribute("aria-valuenow")));
        await CompleteClaimedAsync();

        cut.WaitForAssertion(() => Assert.Equal("completed", cut.Find("[data-testid=job-status]").TextContent));
        Assert.Equal("1", cut.Find("[data-testid=summary-frames]").TextContent);
        cut.WaitForAssertion(() => Assert.Equal([$"v1/video/results/{Id}"], Assert.Single(_replay.Invocations["load"]).Arguments));
    }

    [Fact]
    public async Task JobPage_FrameShown_TheOverlayDrawsItAndSaveFrameLinksItsJpeg()
    {
        await SubmitAsync();
        await ClaimAndCompleteAsync();
        var cut = RenderJobPage();
        var overlay = cut.FindComponent<StreamingApp.Components.Stream.RealtimeOverlay>();
        await overlay.InvokeAsync(() => overlay.Instance.OnDisplaySize(640, 360));
        var player = cut.FindComponent<JobPlayer>();

        await player.InvokeAsync(() => player.Instance.OnFrameShown(35, """{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.9}]}"""));

        Assert.Equal("bus", cut.Find("[data-testid=detection]").GetAttribute("data-label"));
        Assert.Equal("frame 35", cut.Find("[data-testid=frame-index]").TextContent);
        var save = cut.Find("[data-testid=save-frame]");
        Assert.Equal("Save frame", save.TextContent);
        Assert.Equal($"v1/jobs/{Id}/frames/35.jpg", save.GetAttribute("href"));
        Assert.True(save.HasAttribute("download"));
        Assert.Equal($"v1/jobs/{Id}/video", cut.Find("video").GetAttribute("src"));
    }

    [Fact]
    public void JobPage_UnknownJob_SaysSoWithAWayBack()
    {
        var cut = RenderJobPage();

        Assert.StartsWith("No job has the id", cut.Find(".job-missing").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobPage_DeleteConfirmed_JobGoneAndBackToTheList()
    {
        await SubmitAsync();
        var cut = RenderJobPage();

        cut.Find("[data-testid=delete-job]").Click();
        Assert.NotNull(await _store.GetAsync(Id, null, default));
        cut.Find("[data-testid=confirm-delete]").Click();

        Assert.Null(await _store.GetAsync(Id, null, default));
        Assert.EndsWith("/jobs", _ui.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobPages_SignedIn_ShowOnlyTheUsersOwnJobs()
    {
        _auth.SetAuthorized("alice");
        await SubmitAsync("a0000000-0000-0000-0000-000000000000", "alices.mp4", owner: "alice");
        await SubmitAsync(owner: "bob");

        var list = _ui.Render<JobsPage>();
        var bobsJob = RenderJobPage();

        Assert.Equal("alices.mp4", Assert.Single(list.FindAll("[data-testid=job-row]")).QuerySelector("a")!.TextContent.Trim());
        Assert.NotNull(bobsJob.Find(".job-missing"));
    }

    private IRenderedComponent<JobPage> RenderJobPage() => _ui.Render<JobPage>(p => p.Add(j => j.JobId, Guid.Parse(Id)));
}
