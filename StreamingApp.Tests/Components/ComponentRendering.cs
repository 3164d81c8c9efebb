using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamingApp.Realtime;

namespace StreamingApp.Tests.Components;

/// <summary>Renders a live region the way the app does (RealtimeRegions), with ASP.NET's HtmlRenderer.</summary>
internal static class ComponentRendering
{
    public static async Task<string> RenderAsync<TComponent>(RealtimeContext context, TimeProvider? time = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(time ?? TimeProvider.System)
            .BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await RealtimeRegions.RenderAsync(renderer, typeof(TComponent), context);
    }
}
