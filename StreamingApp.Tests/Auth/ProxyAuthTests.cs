using System.Net.Http.Json;

namespace StreamingApp.Tests.Auth;

/// <summary>
/// <c>Auth:Mode=proxy</c> on real Kestrel, the proxy's network being 127.0.0.1/32: the user header counts only from
/// there, and without a user nothing is served — pages, API, stream, metrics.
/// </summary>
public sealed class ProxyAuthTests(ProxyAuthTests.Host host) : IClassFixture<ProxyAuthTests.Host>
{
    private static readonly IPAddress Stranger = LoopbackClient.Address(41);

    public sealed class Host : IDisposable
    {
        public KestrelAppHost Value { get; } = new(new()
        {
            ["Auth:Mode"] = "proxy",
            ["Network:TrustedProxies:0"] = "127.0.0.1/32",
            ["RateLimits:SubmitsPerMinute"] = "2",
        });

        public void Dispose() => Value.Dispose();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/jobs")]
    [InlineData("/v1/jobs")]
    [InlineData("/v1/pipelines/list")]
    [InlineData("/metrics")]
    public async Task Get_NoUser_401(string path)
    {
        using var client = host.Value.Client();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1/jobs")]
    [InlineData("/v1/pipelines/list")]
    [InlineData("/metrics")]
    public async Task Get_UserFromTrustedProxy_Served(string path)
    {
        using var client = host.Value.Client(user: "alice");

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_UserHeaderFromElsewhere_401AndLogged()
    {
        using var client = host.Value.Client(from: Stranger, user: "alice");

        using var response = await client.GetAsync("/v1/jobs");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(host.Value.Logs.Logs, l => l.EventId == 6062 && (string?)l.Properties["Peer"] == Stranger.ToString());
    }

    [Fact]
    public async Task Stream_NoUser_401BeforeUpgrade_WithUser_Accepted()
    {
        var uri = new Uri($"ws://127.0.0.1:{host.Value.BaseAddress.Port}/ws/video/stream?pipeline_id=yolo");

        var (anonymous, anonymousStatus) = await LoopbackClient.ConnectWebSocketAsync(uri, IPAddress.Loopback);
        var (alice, aliceStatus) = await LoopbackClient.ConnectWebSocketAsync(uri, IPAddress.Loopback, new Dictionary<string, string> { ["X-Forwarded-User"] = "alice" });
        alice?.Dispose();

        Assert.Null(anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStatus);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, aliceStatus);
    }

    [Fact]
    public async Task Submit_OverTheRatePerUser_429ForThatUserOnly()
    {
        using var carol = host.Value.Client(user: "carol");
        using var dave = host.Value.Client(user: "dave");

        // Not even multipart: the limit counts attempts, so a flood of bad requests is limited too.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await carol.PostAsync("/v1/video/submit?pipeline_id=yolo", new ByteArrayContent([1]));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("rate_limited", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
                Assert.True(response.Headers.RetryAfter is not null, "429 without Retry-After");
            }
        }

        using var other = await dave.PostAsync("/v1/video/submit?pipeline_id=yolo", new ByteArrayContent([1]));

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task JobsPage_UserFromTrustedProxy_ListsOnlyTheirJobs()
    {
        var store = host.Value.Services.GetRequiredService<IJobStore>();
        await store.CreateAsync(new NewJob(Guid.NewGuid().ToString("D"), "yolo", 1, null, "carols-clip.mp4", 1000, "carol"), default);
        await store.CreateAsync(new NewJob(Guid.NewGuid().ToString("D"), "yolo", 1, null, "daves-clip.mp4", 1000, "dave"), default);
        using var client = host.Value.Client(user: "carol");

        var page = await client.GetStringAsync("/jobs");

        Assert.Contains("carols-clip.mp4", page, StringComparison.Ordinal);
        Assert.DoesNotContain("daves-clip.mp4", page, StringComparison.Ordinal);
    }
}
