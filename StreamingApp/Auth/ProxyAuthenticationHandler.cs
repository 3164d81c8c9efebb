using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using StreamingApp.Network;

namespace StreamingApp.Auth;

/// <summary>
/// <c>Auth:Mode=proxy</c>: the user is whoever the authenticating proxy in front says (oauth2-proxy's
/// <c>X-Forwarded-User</c>), believed only when the request came straight from a trusted proxy. The name is both the
/// user's name and their id (the owner of their jobs).
/// </summary>
internal sealed partial class ProxyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Proxy";

    /// <summary>Longest user name accepted: ids are short; a longer header is a misconfiguration, not a user.</summary>
    private const int MaxUserLength = 256;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = auth.Value.Proxy.UserHeader;
        var user = Request.Headers[header].ToString().Trim();
        if (user.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!TrustedProxies.IsFromTrustedProxy(Context))
        {
            LogUntrustedUserHeader(Logger, header, Context.Features.Get<TrustedProxies.DirectPeer>()?.Address?.ToString());
            return Task.FromResult(AuthenticateResult.Fail($"{header} from a peer outside Network:TrustedProxies."));
        }

        if (user.Length > MaxUserLength || user.Contains(','))
        {
            return Task.FromResult(AuthenticateResult.Fail($"{header} is not one user name of at most {MaxUserLength} characters."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Name, user)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    [LoggerMessage(EventId = 6062, Level = LogLevel.Warning, Message = "Ignored {Header} from {Peer}: not in Network:TrustedProxies")]
    private static partial void LogUntrustedUserHeader(ILogger logger, string header, string? peer);
}
