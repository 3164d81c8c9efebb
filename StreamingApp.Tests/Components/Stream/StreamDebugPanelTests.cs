using Bunit;
using StreamingApp.Components.Stream;

namespace StreamingApp.Tests.Components.Stream;

public sealed class StreamDebugPanelTests : IDisposable
{
    private readonly UiTestContext _ui = new();

    public void Dispose() => _ui.Dispose();

    [Fact]
    public void Render_Initially_PanelHiddenBehindACollapsedDebugButton()
    {
        var cut = _ui.Render<StreamDebugPanel>(p => p.Add(d => d.Stats, StreamStats.Idle));

        Assert.Equal("Debug", cut.Find("button").TextContent);
        Assert.Equal("false", cut.Find("button").GetAttribute("aria-expanded"));
        Assert.Empty(cut.FindAll("[data-testid=debug-panel]"));
    }

    [Fact]
    public void Debug_ClickedTwice_ShowsThenHidesThePanel()
    {
        var cut = _ui.Render<StreamDebugPanel>(p => p.Add(d => d.Stats, StreamStats.Idle));

        cut.Find("button").Click();
        Assert.Single(cut.FindAll("[data-testid=debug-panel]"));
        Assert.Equal("true", cut.Find("button").GetAttribute("aria-expanded"));

        cut.Find("button").Click();
        Assert.Empty(cut.FindAll("[data-testid=debug-panel]"));
    }

    [Fact]
    public void Visible_Stats_ShowsEveryFigure()
    {
        var started = _ui.Time.GetUtcNow();
        _ui.Time.Advance(TimeSpan.FromSeconds(10));
        var stats = new StreamStats(StreamStatus.Connected, "yolo", started, FramesSent: 150, FramesAnswered: 140,
            DroppedFrames: 14, SlowDownWarnings: 2, new CapturePace(5, 1), LastLatencyMs: 23.46, new ServerTimings(1.2, 8.4, 11.0));
        var cut = _ui.Render<StreamDebugPanel>(p => p.Add(d => d.Stats, stats));

        cut.Find("button").Click();

        string Figure(string id) => cut.Find($"[data-testid={id}]").TextContent;
        Assert.Equal("connected", Figure("debug-status"));
        Assert.Equal("yolo", Figure("debug-pipeline"));
        Assert.Equal("150", Figure("debug-frames"));
        Assert.Equal("15.0", Figure("debug-fps"));
        Assert.Equal("5 FPS", Figure("debug-throttle"));
        Assert.Equal("1", Figure("debug-inflight"));
        Assert.Equal("14 (10.0%)", Figure("debug-dropped"));
        Assert.Equal("2", Figure("debug-slowdowns"));
        Assert.Equal("23.5 ms", Figure("debug-latency"));
        Assert.Equal("1.2 ms", Figure("debug-decode"));
        Assert.Equal("8.4 ms", Figure("debug-inference"));
        Assert.Equal("11.0 ms", Figure("debug-total"));
    }

    [Fact]
    public void Visible_NewStats_FiguresFollow()
    {
        var cut = _ui.Render<StreamDebugPanel>(p => p.Add(d => d.Stats, StreamStats.Idle));
        cut.Find("button").Click();

        cut.Render(p => p.Add(d => d.Stats, StreamStats.Idle with { Status = StreamStatus.Connecting, FramesSent = 3 }));

        Assert.Equal("connecting", cut.Find("[data-testid=debug-status]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=debug-frames]").TextContent);
        Assert.Equal("–", cut.Find("[data-testid=debug-latency]").TextContent);
    }
}
