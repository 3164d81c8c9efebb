using Microsoft.AspNetCore.Http;
using StreamingApp.Endpoints;

namespace StreamingApp.Tests.Network;

public sealed class OriginPolicyTests
{
    [Theory]
    [InlineData(null, "http", "127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:5080", "http", "127.0.0.1:5080")]
    [InlineData("https://app.example", "https", "app.example")] // TLS proxy on 443: neither side names the port
    [InlineData("https://app.example:443", "https", "app.example")]
    [InlineData("https://app.example", "https", "app.example:443")]
    [InlineData("http://app.example", "http", "app.example:80")]
    [InlineData("HTTPS://APP.example", "https", "app.EXAMPLE")]
    [InlineData("https://app.example:8443", "https", "app.example:8443")]
    [InlineData("http://[::1]:5080", "http", "[::1]:5080")]
    public void IsSameOriginOrAbsent_SameSchemeHostAndPort_True(string? origin, string scheme, string host)
    {
        Assert.True(OriginPolicy.IsSameOriginOrAbsent(Request(origin, scheme, host)));
    }

    [Theory]
    [InlineData("https://evil.example", "https", "app.example")]
    [InlineData("https://app.example.evil.example", "https", "app.example")]
    [InlineData("http://app.example", "https", "app.example")] // scheme differs: a proxy that did not forward https
    [InlineData("https://app.example", "http", "app.example")]
    [InlineData("https://app.example:8443", "https", "app.example")]
    [InlineData("https://app.example", "https", "app.example:8443")]
    [InlineData("null", "https", "app.example")]
    [InlineData("not a url", "https", "app.example")]
    [InlineData("chrome-extension://abcdef", "https", "app.example")]
    public void IsSameOriginOrAbsent_OtherSite_False(string origin, string scheme, string host)
    {
        Assert.False(OriginPolicy.IsSameOriginOrAbsent(Request(origin, scheme, host)));
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
