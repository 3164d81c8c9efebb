using System.Net.Http.Json;
using StreamingApp.Tests.Streaming;

namespace StreamingApp.Tests.Network;

/// <summary>
/// The app on real Kestrel with <c>Network:TrustedProxies</c> = 127.0.0.1/32: connections from 127.0.0.1 play the
/// TLS-terminating proxy on 443, connections from 127.0.1.x play anybody else. What a browser behind the proxy sees
/// (https://app.example) must be what the Origin check, the per-client address and the logs see.
/// </summary>
public sealed class ForwardedHeadersTests : IClassFixture<ForwardedHeadersTests.Host>
{
    private static readonly IPAddress Proxy = IPAddress.Loopback;
    private static readonly IPAddress Stranger = LoopbackClient.Address(1);

    private readonly StreamTestHost _host;

    public ForwardedHeadersTests(Host host) => _host = host.Value;

    public sealed class Host : IDisposable
    {
        public StreamTestHost Value { get; } = new(kestrel: true, settings: new()
        {
            ["Network:TrustedProxies:0"] = "127.0.0.1/32",
            ["AllowedHosts"] = "127.0.0.1;app.example",
        });

        public void Dispose() => Value.Dispose();
    }

    private Uri StreamUri => new($"ws://127.0.0.1:{_host.Port}/ws/video/stream?pipeline_id=test");

    private static Dictionary<string, string> BrowserBehindTls(string origin, string? client = null)
    {
        var headers = new Dictionary<string, string>
        {
            ["Origin"] = origin,
            ["X-Forwarded-Proto"] = "https",
            ["X-Forwarded-Host"] = "app.example",
        };
        if (client is not null)
        {
            headers["X-Forwarded-For"] = client;
        }

        return headers;
    }

    [Fact]
    public async Task Handshake_HttpsOriginForwardedByTrustedProxy_AcceptedWithTheClientsAddress()
    {
        var (socket, status) = await LoopbackClient.ConnectWebSocketAsync(StreamUri, Proxy, BrowserBehindTls("https://app.example", "203.0.113.9"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        using var client = new StreamClient(socket!);

        await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        var answer = await client.ReceiveAsync();

        Assert.True(answer!.Value.TryGetProperty("result", out _));
        Assert.Contains(_host.Registry.Snapshot(), s => s.RemoteAddress == "203.0.113.9");
        await client.CloseAndDrainAsync();
    }

    [Fact]
    public async Task Handshake_ForwardedHeadersFromUntrustedPeer_IgnoredSoHttpsOriginIsCrossSite()
    {
        var (socket, status) = await LoopbackClient.ConnectWebSocketAsync(StreamUri, Stranger, BrowserBehindTls("https://app.example"));

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Handshake_UntrustedPeerClaimingAnotherAddress_KeepsItsOwn()
    {
        var headers = new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.77" };
        var (socket, _) = await LoopbackClient.ConnectWebSocketAsync(StreamUri, Stranger, headers);
        using var client = new StreamClient(socket!);

        await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
        await client.ReceiveAsync();

        Assert.Contains(_host.Registry.Snapshot(), s => s.RemoteAddress == Stranger.ToString());
        Assert.DoesNotContain(_host.Registry.Snapshot(), s => s.RemoteAddress == "198.51.100.77");
        await client.CloseAndDrainAsync();
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://app.example")] // the right host over the wrong scheme is another origin
    public async Task Handshake_CrossSiteOriginThroughTrustedProxy_Refused403(string origin)
    {
        var (socket, status) = await LoopbackClient.ConnectWebSocketAsync(StreamUri, Proxy, BrowserBehindTls(origin));

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Handshake_ForwardedHostOutsideAllowedHosts_NotTakenAsTheSite()
    {
        // A DNS-rebinding page at evil.example cannot make the app believe it is evil.example.
        var headers = new Dictionary<string, string>
        {
            ["Origin"] = "https://evil.example",
            ["X-Forwarded-Proto"] = "https",
            ["X-Forwarded-Host"] = "evil.example",
        };

        var (socket, status) = await LoopbackClient.ConnectWebSocketAsync(StreamUri, Proxy, headers);

        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Submit_CrossSiteOrigin_Refused403BeforeTheUploadIsRead()
    {
        using var http = new HttpClient { BaseAddress = _host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit?pipeline_id=test") { Content = new ByteArrayContent(new byte[1024]) };
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cross_site_request", error.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(null)] // a program, not a browser
    [InlineData("https://app.example")] // the site's own page behind the proxy
    public async Task Submit_SameOriginOrNoOrigin_ReachesTheEndpoint(string? origin)
    {
        using var http = new HttpClient(LoopbackClient.From(Proxy)) { BaseAddress = _host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/video/submit?pipeline_id=test") { Content = new ByteArrayContent(new byte[16]) };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "app.example");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request);

        // Not multipart: the endpoint's own answer, not the Origin policy's.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("missing_file", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }
}
