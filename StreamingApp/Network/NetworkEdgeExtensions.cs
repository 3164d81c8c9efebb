using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StreamingApp.Network;

public static class NetworkEdgeExtensions
{
    /// <summary>
    /// <c>Network:TrustedProxies</c> (validated at start) and ASP.NET Core's forwarded headers limited to them:
    /// <c>X-Forwarded-For/-Proto/-Host</c> from any other peer are ignored, and <c>X-Forwarded-Host</c> must be one of
    /// <c>AllowedHosts</c>, the list the Host header itself is held to.
    /// </summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidator>());
        services.TryAddSingleton<TrustedProxies>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<TrustedProxies, IConfiguration>(static (options, trusted, configuration) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;

            // Walk back through every trusted hop (nginx → oauth2-proxy → app); the walk stops at the first address
            // that is not a trusted proxy, so a client cannot smuggle in an address of its choosing.
            options.ForwardLimit = null;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in trusted.Networks)
            {
                options.KnownIPNetworks.Add(network);
            }

            options.AllowedHosts = configuration["AllowedHosts"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        });
        return services;
    }

    /// <summary>
    /// First in the pipeline: remembers whether the connection's own peer is a trusted proxy (for proxy
    /// authentication), then applies the forwarded headers, so everything after sees the browser's scheme, host and
    /// address — the Origin check, redirects, generated URLs, per-client limits and logs.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var trusted = app.ApplicationServices.GetRequiredService<TrustedProxies>();
        app.Use((context, next) =>
        {
            var peer = context.Connection.RemoteIpAddress;
            context.Features.Set(new TrustedProxies.DirectPeer(peer, trusted.Contains(peer)));
            return next(context);
        });
        return app.UseForwardedHeaders();
    }
}
