using System.Net;

namespace StreamingApp.Network;

/// <summary>
/// The networks of the reverse proxies this app trusts (<see cref="NetworkOptions.TrustedProxies"/>): the single rule
/// behind the forwarded headers and proxy authentication.
/// </summary>
public sealed class TrustedProxies
{
    /// <summary>What an empty <c>Network:TrustedProxies</c> means: a proxy on the same machine.</summary>
    public static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public TrustedProxies(IOptions<NetworkOptions> options)
    {
        var configured = options.Value.TrustedProxies;
        var networks = new List<IPNetwork>(configured.Count);
        foreach (var entry in configured)
        {
            // Validated at start (NetworkOptionsValidator): every entry parses.
            networks.Add(Parse(entry) ?? throw new InvalidOperationException($"Unvalidated trusted proxy '{entry}'."));
        }

        Networks = networks.Count == 0 ? Loopback : networks;
    }

    public IReadOnlyList<IPNetwork> Networks { get; }

    /// <summary>
    /// Whether a direct peer is a trusted proxy. No address (a Unix socket, an in-memory test server) is a local peer,
    /// trusted as ASP.NET Core's forwarded headers middleware trusts it.
    /// </summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in Networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether this request came straight from a trusted proxy (decided before the forwarded headers rewrote the peer).</summary>
    public static bool IsFromTrustedProxy(HttpContext context) =>
        context.Features.Get<DirectPeer>()?.IsTrustedProxy ?? false;

    /// <summary>A CIDR (<c>10.0.0.0/8</c>) or a single address (<c>10.1.2.3</c>, <c>::1</c>); null when neither.</summary>
    public static IPNetwork? Parse(string entry)
    {
        var text = entry.Trim();
        var slash = text.IndexOf('/');
        if (slash > 0 && IPNetwork.TryParse(text, out var network))
        {
            // 10.0.0.1/8 would silently mean 10.0.0.0/8: refused as the likely typo it is.
            return IPAddress.Parse(text.AsSpan(0, slash)).Equals(network.BaseAddress) ? network : null;
        }

        return slash < 0 && IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
            : null;
    }

    /// <summary>The connection's own peer, kept before the forwarded headers replace it with the client's address.</summary>
    internal sealed record DirectPeer(IPAddress? Address, bool IsTrustedProxy);
}
