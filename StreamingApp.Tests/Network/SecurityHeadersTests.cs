using StreamingApp.Network;

namespace StreamingApp.Tests.Network;

public sealed class SecurityHeadersTests(SecurityHeadersTests.Host host) : IClassFixture<SecurityHeadersTests.Host>
{
    public sealed class Host : StreamingAppFactory;

    [Theory]
    [InlineData("/")]
    [InlineData("/v1/pipelines/list")]
    [InlineData("/v1/jobs/00000000-0000-0000-0000-000000000000/video")] // an error answer too
    public async Task Get_AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        using var response = await host.CreateClient().GetAsync(path);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Get_HostOutsideAllowedHosts_400()
    {
        using var restricted = StreamingAppFactory.With(new Dictionary<string, string?> { ["AllowedHosts"] = "app.example" });
        using var client = restricted.CreateClient();
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/v1/pipelines/list");
        rebound.Headers.Host = "evil.example"; // DNS rebinding: another name pointed at this server
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/v1/pipelines/list");
        allowed.Headers.Host = "app.example";

        using var refused = await client.SendAsync(rebound);
        using var served = await client.SendAsync(allowed);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
