namespace StreamingApp.Auth;

public enum AuthMode
{
    /// <summary>No users: anyone who can reach the app may use all of it (a loud warning when it listens beyond loopback).</summary>
    None,

    /// <summary>The user name comes from a header set by an authenticating proxy in <c>Network:TrustedProxies</c> (oauth2-proxy).</summary>
    Proxy,

    /// <summary>Sign-in with an OpenID Connect provider (authorization code flow with PKCE), then a session cookie.</summary>
    Oidc,
}

/// <summary>Section <c>Auth</c>: who may use the app (see docs/SECURITY.md).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.None;

    public ProxyAuthOptions Proxy { get; set; } = new();

    public OidcAuthOptions Oidc { get; set; } = new();

    /// <summary>
    /// When set, <c>/metrics</c> is served only on this port, without sign-in (for Prometheus; keep the port off the
    /// public network), and the app listens on it as well. Unset: <c>/metrics</c> is on the app's own port(s) and, with
    /// a <see cref="Mode"/> other than none, needs a signed-in user like everything else.
    /// </summary>
    public int? MetricsPort { get; set; }
}

public sealed class ProxyAuthOptions
{
    /// <summary>The header carrying the user name (oauth2-proxy: <c>X-Forwarded-User</c>); believed from trusted proxies only.</summary>
    public string UserHeader { get; set; } = "X-Forwarded-User";
}

public sealed class OidcAuthOptions
{
    /// <summary>The provider's issuer URL (its <c>/.well-known/openid-configuration</c> is read from there).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public List<string> Scopes { get; set; } = [];

    /// <summary>The claim shown as the user's name; the job owner is always the stable <c>sub</c>.</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Refuse a provider whose metadata is not on https (only a test provider on loopback may turn this off).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
