using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamingApp.Realtime;

namespace StreamingApp.Tests.Components;

/// <summary>Renders a live region the way the app does (<see cref="RealtimeRegions"/>), with ASP.NET's HtmlRenderer.</summary>
internal static class ComponentRendering
{
    public static async Task<string> RenderAsync<TComponent>(RealtimeContext context, TimeProvider? time = null)
    {
        await using var renderer = NewRenderer(time);
        var regions = await RealtimeRegions.CreateAsync(renderer, context);
        return (await regions.RenderChangedAsync())[NameOf(typeof(TComponent))];
    }

    public static HtmlRenderer NewRenderer(TimeProvider? time = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(time ?? TimeProvider.System)
            .BuildServiceProvider();
        return new HtmlRenderer(services, NullLoggerFactory.Instance);
    }

    public static string NameOf(Type component)
    {
        foreach (var (name, type) in RealtimeRegions.All)
        {
            if (type == component)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(component), component, "not a live region");
    }
}
