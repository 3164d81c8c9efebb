using Microsoft.Extensions.DependencyInjection.Extensions;
using StreamingApp.Components.Jobs;
using StreamingApp.Components.Stream;

namespace StreamingApp.Components;

public static class WebUiExtensions
{
    /// <summary>The largest message the circuit takes from the browser.</summary>
    public const int MaxAnswerBytes = 256 * 1024;

    /// <summary>The Blazor Server UI: Razor components on an interactive server circuit, and the pages' circuit-scoped state.</summary>
    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        // The build's static web assets (../wwwroot-assets and blazor.web.js) are found through the manifest beside
        // the assembly, whatever the environment: ./run.sh and the tests run the build output outside Development.
        // A published app has no such manifest and serves its wwwroot folder; this is then a no-op.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        // An answer passed to .NET carries a frame's whole result: a page of text read by OCR can pass SignalR's
        // default 32 KB, and a message over the limit would close the circuit.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = MaxAnswerBytes);
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<StreamPageState>();
        services.AddScoped<CircuitJobOwner>();
        return builder;
    }

    /// <summary>Static assets and the pages (after UseWebSockets; the circuit is a WebSocket too).</summary>
    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        // The app's own Content-Security-Policy (UseSecurityHeaders) already says frame-ancestors 'none': Blazor's
        // second header (frame-ancestors 'self') would only repeat a looser rule.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
