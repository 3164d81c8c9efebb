using Microsoft.AspNetCore.Http;
using StreamingApp.Endpoints;

namespace StreamingApp.Tests.Network;

public sealed class OriginPolicyTests
{
    [Theory]
    [InlineData(null, "http", "127.0.0.1:5080", true)]
    [InlineData("http://127.0.0.1:5080", "http", "127.0.0.1:5080", true)]
    [InlineData("https://app.example", "https", "app.example", true)] // TLS proxy on 443: neither side names the port
    [InlineData("https://app.example:443", "https", "app.example", true)]
    [InlineData("https://app.example", "https", "app.example:443", true)]
    [InlineData("http://app.example", "http", "app.example:80", true)]
    [InlineData("HTTPS://APP.example", "https", "app.EXAMPLE", true)]
    [InlineData("https://app.example:8443", "https", "app.example:8443", true)]
    [InlineData("http://[::1]:5080", "http", "[::1]:5080", true)]
    [InlineData("https://evil.example", "https", "app.example", false)]
    [InlineData("https://app.example.evil.example", "https", "app.example", false)]
    [InlineData("http://app.example", "https", "app.example", false)] // scheme differs: a proxy that did not forward https
    [InlineData("https://app.example", "http", "app.example", false)]
    [InlineData("https://app.example:8443", "https", "app.example", false)]
    [InlineData("https://app.example", "https", "app.example:8443", false)]
    [InlineData("null", "https", "app.example", false)]
    [InlineData("not a url", "https", "app.example", false)]
    [InlineData("chrome-extension://abcdef", "https", "app.example", false)]
    public void IsSameOriginOrAbsent_OriginAgainstTheRequest_TrueOnlyForTheSameSchemeHostAndPort(string? origin, string scheme, string host, bool expected)
    {
        Assert.Equal(expected, OriginPolicy.IsSameOriginOrAbsent(Request(origin, scheme, host)));
    }

    [Fact]
    public void IsSameOriginOrAbsent_TwoOrigins_False()
    {
        var request = Request("https://app.example", "https", "app.example");
        request.Headers.Append("Origin", "https://evil.example");

        Assert.False(OriginPolicy.IsSameOriginOrAbsent(request));
    }

    private static HttpRequest Request(string? origin, string scheme, string host)
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = scheme;
        request.Host = new HostString(host);
        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        return request;
    }
}
