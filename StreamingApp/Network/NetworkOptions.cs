namespace StreamingApp.Network;

/// <summary>
/// Section <c>Network</c>: who the app trusts at the network edge. <see cref="TrustedProxies"/> is the one list of
/// reverse proxies whose <c>X-Forwarded-*</c> headers are honoured and whose <c>X-Forwarded-User</c> is believed
/// (<c>Auth:Mode=proxy</c>). Empty (the default) means loopback: 127.0.0.0/8 and ::1.
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    /// <summary>CIDRs (<c>10.0.0.0/8</c>) or single addresses (<c>10.1.2.3</c>), e.g. <c>Network__TrustedProxies__0=10.0.0.0/8</c>.</summary>
    public List<string> TrustedProxies { get; set; } = [];
}
