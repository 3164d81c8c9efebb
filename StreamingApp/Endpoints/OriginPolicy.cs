namespace StreamingApp.Endpoints;

/// <summary>
/// The same-origin rule for what a browser page can make this app do: a WebSocket handshake (the stream, the Blazor
/// circuit) or a state-changing request (POST, PUT, PATCH, DELETE) whose <c>Origin</c> names another site is refused
/// with 403. A browser always sends <c>Origin</c> on these; no <c>Origin</c> means a non-browser client, allowed.
/// Compared with the scheme and host the browser used (forwarded by a trusted proxy, see <c>UseTrustedProxies</c>),
/// an omitted port being the scheme's default on both sides.
/// </summary>
internal static partial class OriginPolicy
{
    public static bool IsSameOriginOrAbsent(HttpRequest request)
    {
        var origins = request.Headers.Origin;
        if (origins.Count == 0 || (origins.Count == 1 && string.IsNullOrEmpty(origins[0])))
        {
            return true;
        }

        // "null" (sandboxed or file pages), several values and anything unparsable are not this site.
        if (origins.Count > 1 || !Uri.TryCreate(origins[0], UriKind.Absolute, out var origin) || !request.Host.HasValue)
        {
            return false;
        }

        var requestPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(origin.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(origin.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && origin.Port == requestPort;
    }

    /// <summary>Refuses cross-site handshakes and state-changing requests; after <c>UseTrustedProxies</c>.</summary>
    public static IApplicationBuilder UseOriginPolicy(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OriginPolicy).FullName!);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (CanChangeState(request) && !IsSameOriginOrAbsent(request))
            {
                LogCrossSiteRefused(logger, request.Method, request.Path, request.Headers.Origin.ToString(), request.Scheme + "://" + request.Host);
                await ApiError.Result(StatusCodes.Status403Forbidden, "cross_site_request",
                    "Requests from pages of another site are not accepted.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }

    /// <summary>Anything but a plain read: an unsafe method, or a protocol upgrade (WebSocket) on any method.</summary>
    private static bool CanChangeState(HttpRequest request) =>
        request.Headers.Upgrade.Count > 0
        || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: Origin {Origin} is not this site ({Site})")]
    private static partial void LogCrossSiteRefused(ILogger logger, string method, string path, string origin, string site);
}
