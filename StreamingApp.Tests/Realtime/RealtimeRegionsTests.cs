using StreamingApp.Core.Pipelines;
using StreamingApp.Realtime;
using StreamingApp.Tests.Components;

namespace StreamingApp.Tests.Realtime;

public sealed class RealtimeRegionsTests
{
    [Fact]
    public async Task RenderChangedAsync_AfterStateChange_ReturnsOnlyRegionsThatChanged()
    {
        await using var renderer = ComponentRendering.NewRenderer();
        var context = new RealtimeContext();
        var regions = await RealtimeRegions.CreateAsync(renderer, context);
        var first = await regions.RenderChangedAsync();

        context.LastResult = new FrameResult([new Detection(0.1f, 0.2f, 0.3f, 0.4f, "bus", 0.9f)], null);
        context.LastResultFrameIndex = 7;
        var second = await regions.RenderChangedAsync();
        var third = await regions.RenderChangedAsync();

        Assert.Equal(RealtimeRegions.All.Count, first.Count);
        Assert.Equal(["overlay"], second.Keys);
        Assert.Contains("data-label=\"bus\"", second["overlay"]);
        Assert.Contains("frame 7", second["overlay"]);
        Assert.Empty(third);
    }
}
