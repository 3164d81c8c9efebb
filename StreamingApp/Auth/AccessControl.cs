using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StreamingApp.Core.Networking;
using StreamingApp.Endpoints;

namespace StreamingApp.Auth;

/// <summary>
/// Who may do what: <c>Auth:Mode</c> (none, proxy, oidc) with every page, the stream, the API and <c>/metrics</c>
/// behind sign-in when it is not none, and the submit rate limit per user or address.
/// </summary>
public static partial class AccessControl
{
    /// <summary>The rate-limit policy of <c>POST /v1/video/submit</c>.</summary>
    public const string SubmitPolicy = "submit";

    private const string MetricsPolicy = "metrics";

    public static WebApplicationBuilder AddAccessControl(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(static o => o.SubmitsPerMinute >= 1, "RateLimits:SubmitsPerMinute must be at least 1.").ValidateOnStart();

        // The schemes depend on the mode, so it is read now; the whole section is validated at start.
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        switch (auth.Mode)
        {
            case AuthMode.Proxy:
                services.AddAuthentication(ProxyAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, ProxyAuthenticationHandler>(ProxyAuthenticationHandler.SchemeName, null);
                break;
            case AuthMode.Oidc:
                AddOidc(services, auth.Oidc);
                break;
            default:
                services.AddAuthentication(); // no scheme: every request is anonymous
                services.AddHostedService<OpenNetworkWarning>();
                break;
        }

        services.AddAuthorization(options =>
        {
            if (auth.Mode != AuthMode.None)
            {
                options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }

            options.AddPolicy(MetricsPolicy, policy => policy.RequireAssertion(context =>
                auth.Mode == AuthMode.None
                || context.User.Identity?.IsAuthenticated == true
                || (context.Resource is HttpContext http && http.Connection.LocalPort == auth.MetricsPort)));
        });
        services.AddRateLimiter(options =>
        {
            options.OnRejected = OnSubmitRejectedAsync;
            options.AddPolicy(SubmitPolicy, static context => RateLimitPartition.GetTokenBucketLimiter(RateKey(context), _ =>
            {
                // A bucket of N uploads refilled one at a time over the minute: N at once, then N a minute on average.
                var perMinute = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.SubmitsPerMinute;
                return new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                    QueueLimit = 0,
                };
            }));
        });
        return builder;
    }

    /// <summary>Authentication, authorization and rate limiting, after the forwarded headers and the Origin policy.</summary>
    public static WebApplication UseAccessControl(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.MetricsPort is { } metricsPort)
        {
            // The metrics port serves /metrics and nothing else: it is meant for the scraper, not for people.
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort == metricsPort && context.Request.Path != "/metrics")
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// <c>/metrics</c>: open without sign-in on <c>Auth:MetricsPort</c> when one is set; otherwise like any endpoint
    /// (signed-in users when <c>Auth:Mode</c> is not none).
    /// </summary>
    public static TBuilder WithMetricsAccess<TBuilder>(this TBuilder endpoint)
        where TBuilder : IEndpointConventionBuilder => endpoint.RequireAuthorization(MetricsPolicy);

    /// <summary>Whether a listening address can be reached from other machines (anything but loopback).</summary>
    private static void AddOidc(IServiceCollection services, OidcAuthOptions oidc)
    {
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "streamingapp.session";
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
            })
            .AddOpenIdConnect(options =>
            {
                options.Authority = oidc.Authority;
                options.ClientId = oidc.ClientId;
                options.ClientSecret = oidc.ClientSecret;
                options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                options.ResponseType = "code";
                options.UsePkce = true;

                // The code comes back in the query (a GET), not as a cross-site form POST: the one Origin policy
                // needs no exception, and PKCE binds the code to this sign-in.
                options.ResponseMode = "query";
                options.Scope.Clear();
                foreach (var scope in oidc.Scopes.Count > 0 ? oidc.Scopes : ["openid", "profile"])
                {
                    options.Scope.Add(scope);
                }

                // sub becomes the NameIdentifier (the job owner); the display name is configurable.
                options.MapInboundClaims = true;
                options.TokenValidationParameters.NameClaimType = oidc.NameClaim;
                options.Events.OnRedirectToIdentityProvider = static context =>
                {
                    // Only a page navigation is sent to the provider; the API, the stream, Blazor's negotiate and
                    // /metrics get 401, which a program (or a script) can act on.
                    if (!IsPageNavigation(context.Request))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.HandleResponse();
                    }

                    return Task.CompletedTask;
                };
            });
    }

    private static bool IsPageNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.Headers.Upgrade.Count == 0
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static string RateKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true
            ? "user:" + (context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? context.User.Identity.Name)
            : "address:" + ClientAddress.Key(context.Connection.RemoteIpAddress);

    private static async ValueTask OnSubmitRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var perMinute = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.SubmitsPerMinute;
        LogRateLimited(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccessControl).FullName!), RateKey(context));
        await ApiError.Result(StatusCodes.Status429TooManyRequests, "rate_limited",
            $"Too many uploads: at most {perMinute} a minute. Try again shortly.").ExecuteAsync(context);
    }

    [LoggerMessage(EventId = 6061, Level = LogLevel.Information, Message = "Submit refused with 429 for {RateKey}")]
    private static partial void LogRateLimited(ILogger logger, string rateKey);
}
