using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using StreamingApp.Components.Jobs;
using StreamingApp.Core.Jobs;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Components.Jobs;

/// <summary>
/// /jobs and /jobs/{id} over a real SQLite job store: the pages follow the store's change notifications, so a job
/// that moves shows it without a reload or a poll.
/// </summary>
public sealed class JobPagesTests : IDisposable
{
    private const string Id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private readonly TempDirectory _dir = new();
    private readonly UiTestContext _ui;
    private JobStore _store = default!;
    private readonly BunitJSModuleInterop _replay;

    public JobPagesTests()
    {
        _ui = new UiTestContext(ui =>
        {
            var notifier = new JobChangeNotifier();
            _store = new JobStore(Path.Combine(_dir.Path, "jobs.db"), ui.Time, notifier);
            ui.Services.AddSingleton(notifier);
            ui.Services.AddSingleton(_store);
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

    private Task<JobRecord> SubmitAsync(string id = Id, string name = "clip.mp4") =>
        _store.CreateAsync(new NewJob(id, "yolo", 1, null, name, 1000), default);

    private async Task CompleteAsync()
    {
        await _store.TryClaimNextAsync(default);
        var result = """{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"bus","score":0.9}]}""";
        await _store.CompleteAsync(Id, [new JobFrameResult(0, 0, result)], new JobSummary(1, 1, new Dictionary<string, int> { ["bus"] = 1 }), default);
    }

    [Fact]
    public async Task JobsPage_JobSubmittedAndRunning_TheListFollowsWithoutAReload()
    {
        await SubmitAsync("a0000000-0000-0000-0000-000000000000", "first.mp4");
        var cut = _ui.Render<JobsPage>();
        Assert.Single(cut.FindAll("[data-testid=job-row]"));

        await SubmitAsync();
        await _store.TryClaimNextAsync(default);
        await _store.UpdateProgressAsync("a0000000-0000-0000-0000-000000000000", 5, 50, default);

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
        await _store.TryClaimNextAsync(default);
        var cut = RenderJobPage();
        Assert.Equal("running", cut.Find("[data-testid=job-status]").TextContent);
        Assert.Empty(_replay.Invocations["load"]);

        await _store.UpdateProgressAsync(Id, 3, 30, default);
        cut.WaitForAssertion(() => Assert.Equal("30", cut.Find("[role=progressbar]").GetAttribute("aria-valuenow")));
        await _store.CompleteAsync(Id, [], new JobSummary(1, 1, new Dictionary<string, int> { ["bus"] = 1 }), default);

        cut.WaitForAssertion(() => Assert.Equal("completed", cut.Find("[data-testid=job-status]").TextContent));
        Assert.Equal("1", cut.Find("[data-testid=summary-frames]").TextContent);
        cut.WaitForAssertion(() => Assert.Equal([$"v1/video/results/{Id}"], Assert.Single(_replay.Invocations["load"]).Arguments));
    }

    [Fact]
    public async Task JobPage_FrameShown_TheOverlayDrawsItAndSaveFrameLinksItsJpeg()
    {
        await SubmitAsync();
        await CompleteAsync();
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

    private IRenderedComponent<JobPage> RenderJobPage() => _ui.Render<JobPage>(p => p.Add(j => j.JobId, Guid.Parse(Id)));
}
