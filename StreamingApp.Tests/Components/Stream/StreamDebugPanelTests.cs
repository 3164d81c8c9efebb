namespace StreamingApp.Tests.Components.Stream;

public sealed class StreamDebugPanelTests : UiTests
{
    [Fact]
    public void Render_Initially_PanelHiddenBehindACollapsedDebugButton()
    {
        var cut = Ui.Render<StreamDebugPanel>(p => p.Add(d => d.Stats, StreamStats.Idle));

        Assert.Equal("Debug", cut.Find("button").TextContent);
        Assert.Equal("false", cut.Find("button").GetAttribute("aria-expanded"));
        Assert.Empty(cut.FindAll("[data-testid=debug-panel]"));
    }

    [Fact]
    public void Debug_ClickedTwice_ShowsThenHidesThePanel()
    {
        var cut = Ui.Render<StreamDebugPanel>(p => p.Add(d => d.Stats, StreamStats.Idle));

        cut.Find("button").Click();
        Assert.Single(cut.FindAll("[data-testid=debug-panel]"));
        Assert.Equal("true", cut.Find("button").GetAttribute("aria-expanded"));

        cut.Find("button").Click();
        Assert.Empty(cut.FindAll("[data-testid=debug-panel]"));
    }

    [Fact]
    public void Visible_Stats_ShowsEveryFigure()
    {
        var started = Ui.Time.GetUtcNow();
        Ui.Time.Advance(TimeSpan.FromSeconds(10));
        var stats = new StreamStats(StreamStatus.Connected, "yolo", started, FramesSent: 150, FramesAnswered: 140,
            DroppedFrames: 14, SlowDownWarnings: 2, new CapturePace(5, 1), LastLatencyMs: 23.46, new ServerTimings(1.2, 8.4, 11.0));
        var cut = Ui.Render<StreamDebugPanel>(p => p.Add(d => d.Stats, stats));

        cut.Find("button").Click();

        var expected = new Dictionary<string, string>
        {
            ["debug-status"] = "connected",
            ["debug-pipeline"] = "yolo",
            ["debug-frames"] = "150",
            ["debug-fps"] = "15.0",
            ["debug-throttle"] = "5 FPS",
            ["debug-inflight"] = "1",
            ["debug-dropped"] = "14 (10.0%)",
            ["debug-slowdowns"] = "2",
            ["debug-latency"] = "23.5 ms",
            ["debug-decode"] = "1.2 ms",
            ["debug-inference"] = "8.4 ms",
            ["debug-total"] = "11.0 ms",
        };
        Assert.Equal(expected, expected.Keys.ToDictionary(id => id, id => cut.Find($"[data-testid={id}]").TextContent));
    }

    [Fact]
    public void Visible_NewStats_FiguresFollow()
    {
        var cut = Ui.Render<StreamDebugPanel>(p => p.Add(d => d.Stats, StreamStats.Idle));
        cut.Find("button").Click();

        cut.Render(p => p.Add(d => d.Stats, StreamStats.Idle with { Status = StreamStatus.Connecting, FramesSent = 3 }));

        Assert.Equal("connecting", cut.Find("[data-testid=debug-status]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=debug-frames]").TextContent);
        Assert.Equal("–", cut.Find("[data-testid=debug-latency]").TextContent);
    }
}
