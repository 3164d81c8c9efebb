namespace StreamingApp.Endpoints;

/// <summary>
/// Refuses cross-site WebSocket handshakes: a browser always sends <c>Origin</c>, and a page of another site must
/// not drive this user's stream. No <c>Origin</c> means a non-browser client, which is allowed.
/// </summary>
internal static class OriginPolicy
{
    public static bool IsSameSiteOrAbsent(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        // "null" (sandboxed or file pages) and anything unparsable are not this site.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !request.Host.HasValue)
        {
            return false;
        }

        var requestPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == requestPort;
    }
}
