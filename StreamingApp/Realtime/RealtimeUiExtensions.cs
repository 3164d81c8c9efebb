using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using StreamingApp.Components;

namespace StreamingApp.Realtime;

public static class RealtimeUiExtensions
{
    /// <summary>Razor components, the per-page realtime services, and wwwroot-assets as the web root.</summary>
    public static WebApplicationBuilder AddRealtimeUi(this WebApplicationBuilder builder)
    {
        // The build copies ../wwwroot-assets next to the assembly (StreamingApp.csproj), so this one path
        // holds for dotnet run, the Release output and the test host alike.
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        builder.Environment.WebRootPath = webRoot;
        builder.Environment.WebRootFileProvider = new PhysicalFileProvider(webRoot);

        var services = builder.Services;
        services.AddRazorComponents();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<RealtimeSocketBridge>();
        services.AddScoped<IRealtimeBridge>(sp => sp.GetRequiredService<RealtimeSocketBridge>());
        services.AddScoped<RealtimeClient>();
        services.AddScoped<HtmlRenderer>();
        services.AddScoped<RealtimeConnection>();
        return builder;
    }

    /// <summary>Static assets, the pages, and /ui/realtime (the pages' live connection; needs UseWebSockets;
    /// a cross-site handshake is refused before it by the Origin policy).</summary>
    public static WebApplication MapRealtimeUi(this WebApplication app)
    {
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.Map("/ui/realtime", async (HttpContext http) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest();
            }

            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            await http.RequestServices.GetRequiredService<RealtimeConnection>().RunAsync(socket, http.RequestAborted);
            return Results.Empty;
        });
        app.MapRazorComponents<App>();
        return app;
    }
}
