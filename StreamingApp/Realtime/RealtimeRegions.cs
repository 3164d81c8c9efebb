using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using StreamingApp.Components.Realtime;

namespace StreamingApp.Realtime;

/// <summary>
/// Renders the page's live regions (the parts that change while streaming) to HTML with the same components
/// the page itself renders; the JS module swaps each into the element with the matching data-region.
/// </summary>
public static class RealtimeRegions
{
    public static readonly IReadOnlyList<(string Name, Type Component)> All =
    [
        ("status", typeof(StreamStatus)),
        ("camera", typeof(CameraMessage)),
        ("overlay", typeof(RealtimeOverlay)),
        ("banner", typeof(ErrorBanner)),
        ("debug", typeof(StreamDebugPanel)),
    ];

    public static Task<string> RenderAsync(HtmlRenderer renderer, Type component, RealtimeContext context) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(RealtimeRegion.Context)] = context,
                [nameof(RealtimeRegion.Component)] = component,
            });
            var output = await renderer.RenderComponentAsync<RealtimeRegion>(parameters);
            return output.ToHtmlString();
        });
}
