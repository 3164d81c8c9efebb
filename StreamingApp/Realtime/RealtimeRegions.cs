using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Web.HtmlRendering;
using StreamingApp.Components.Realtime;

namespace StreamingApp.Realtime;

/// <summary>
/// The page's live regions (the parts that change while streaming), rendered to HTML with the same components
/// the page itself renders; the JS module swaps each into the element with the matching data-region.
/// Each region is one root component for the connection's lifetime, re-rendered in place on every change:
/// rendering a new root per update would keep every old one alive in the renderer.
/// </summary>
public sealed class RealtimeRegions
{
    public static readonly IReadOnlyList<(string Name, Type Component)> All =
    [
        ("status", typeof(StreamStatus)),
        ("camera", typeof(CameraMessage)),
        ("overlay", typeof(RealtimeOverlay)),
        ("banner", typeof(ErrorBanner)),
        ("debug", typeof(StreamDebugPanel)),
    ];

    private readonly HtmlRenderer _renderer;
    private readonly RealtimeContext _context;
    private readonly HtmlRootComponent[] _roots;
    private readonly string?[] _sent;

    private RealtimeRegions(HtmlRenderer renderer, RealtimeContext context, HtmlRootComponent[] roots)
    {
        _renderer = renderer;
        _context = context;
        _roots = roots;
        _sent = new string?[roots.Length];
    }

    public static Task<RealtimeRegions> CreateAsync(HtmlRenderer renderer, RealtimeContext context) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var roots = new HtmlRootComponent[All.Count];
            for (var i = 0; i < roots.Length; i++)
            {
                roots[i] = await renderer.RenderComponentAsync<RealtimeRegion>(ParameterView.FromDictionary(
                    new Dictionary<string, object?>
                    {
                        [nameof(RealtimeRegion.Context)] = context,
                        [nameof(RealtimeRegion.Component)] = All[i].Component,
                    }));
            }

            return new RealtimeRegions(renderer, context, roots);
        });

    /// <summary>Re-renders after a state change; returns the regions whose HTML differs from what was last returned.</summary>
    public Task<Dictionary<string, string>> RenderChangedAsync() =>
        _renderer.Dispatcher.InvokeAsync(() =>
        {
            _context.NotifyChanged();
            var changed = new Dictionary<string, string>(_roots.Length);
            for (var i = 0; i < _roots.Length; i++)
            {
                var html = _roots[i].ToHtmlString();
                if (html != _sent[i])
                {
                    _sent[i] = html;
                    changed[All[i].Name] = html;
                }
            }

            return changed;
        });
}
