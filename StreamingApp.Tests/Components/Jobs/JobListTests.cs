namespace StreamingApp.Tests.Components.Jobs;

public sealed class JobListTests : UiTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture);
    internal static JobRecord Job(string id, JobStatus status, int progress, string? error = null, string name = "clip.mp4") =>
        new(id, "yolo", status, progress, 1, null, name, 100, Created, Created, error, 10, 3, 1, null, null);

    [Fact]
    public void Render_Jobs_OneRowEachWithLinkStatusProgressAndLabelledCells()
    {
        JobRecord[] jobs =
        [
            Job("11111111-1111-1111-1111-111111111111", JobStatus.Running, 37),
            Job("22222222-2222-2222-2222-222222222222", JobStatus.Failed, 0, "The video could not be decoded: <bad>"),
        ];

        var cut = Ui.Render<JobList>(p => p.Add(l => l.Jobs, jobs).Add(l => l.Count, 2));

        var rows = cut.FindAll("[data-testid=job-row]");
        Assert.Equal(2, rows.Count);
        Assert.Equal("running", rows[0].GetAttribute("data-status"));
        Assert.Equal("jobs/11111111-1111-1111-1111-111111111111", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("37", rows[0].QuerySelector("[role=progressbar]")!.GetAttribute("aria-valuenow"));
        Assert.Equal(["Video", "Pipeline", "Status", "Progress", "Submitted"], rows[0].QuerySelectorAll("td").Select(td => td.GetAttribute("data-label")));
        Assert.Equal("The video could not be decoded: <bad>", rows[1].QuerySelector(".job-error")!.TextContent);
        Assert.Equal("2026-01-02 03:04:05", rows[0].QuerySelector("time")!.TextContent);
        Assert.Empty(cut.FindAll(".jobs-more"));
    }

    [Fact]
    public void Render_MoreJobsThanShown_SaysHowManyAndWhereTheRestAre()
    {
        var cut = Ui.Render<JobList>(p => p.Add(l => l.Jobs, [Job("a", JobStatus.Pending, 0)]).Add(l => l.Count, 25));

        Assert.Contains("The newest 1 of 25 jobs", cut.Find(".jobs-more").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoJobs_SaysSo()
    {
        var cut = Ui.Render<JobList>(p => p.Add(l => l.Jobs, []));

        Assert.StartsWith("No jobs yet", cut.Find(".jobs-empty").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=job-row]"));
    }
}
