using System.Net;
using System.Net.Sockets;

namespace StreamingApp.Core.Networking;

/// <summary>Who counts as one client for per-client limits (stream connections, submit rate).</summary>
public static class ClientAddress
{
    /// <summary>
    /// An IPv4 address (also when a dual-stack socket shows it IPv4-mapped), or an IPv6 client's /64 — one
    /// subscriber's whole network, which a single host can otherwise walk through address by address. No address (a
    /// Unix socket, an in-memory test server): <c>local</c>.
    /// </summary>
    public static string Key(IPAddress? client)
    {
        if (client is null)
        {
            return "local";
        }

        if (client.IsIPv4MappedToIPv6)
        {
            return client.MapToIPv4().ToString();
        }

        if (client.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return client.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        client.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }
}
