using System.Net.Http.Headers;
using System.Web;

namespace StreamingApp.Tests.Auth;

/// <summary>
/// <c>Auth:Mode=oidc</c> against the in-process test provider, with the app behind nginx and TLS as a browser would
/// reach it (the sign-in cookies are Secure): sign-in by authorization code with PKCE, the callback URL built from
/// the forwarded scheme and host, and 401 for the API instead of a redirect.
/// </summary>
public sealed class OidcAuthTests(OidcAuthTests.Stack stack) : IClassFixture<OidcAuthTests.Stack>
{
    public sealed class Stack : IAsyncLifetime
    {
        public TestIdentityProvider Provider { get; private set; } = default!;

        public KestrelAppHost App { get; private set; } = default!;

        public NginxProxy Nginx { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            Provider = await TestIdentityProvider.StartAsync();
            App = new KestrelAppHost(new Dictionary<string, string?>
            {
                ["Auth:Mode"] = "oidc",
                ["Auth:Oidc:Authority"] = Provider.Authority,
                ["Auth:Oidc:ClientId"] = TestIdentityProvider.ClientId,
                ["Auth:Oidc:ClientSecret"] = TestIdentityProvider.ClientSecret,
                ["Auth:Oidc:RequireHttpsMetadata"] = "false",
            });
            Nginx = new NginxProxy(App.BaseAddress);
        }

        public async Task DisposeAsync()
        {
            Nginx.Dispose();
            App.Dispose();
            await Provider.DisposeAsync();
        }
    }

    /// <summary>A browser: cookies kept, redirects followed by the test so each hop can be checked.</summary>
    private HttpClient Browser(CookieContainer cookies)
    {
        var handler = stack.Nginx.CreateHandler();
        handler.CookieContainer = cookies;
        handler.UseCookies = true;
        handler.AllowAutoRedirect = false;
        var client = new HttpClient(handler) { BaseAddress = stack.Nginx.BaseAddress };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return client;
    }

    [Fact]
    public async Task Page_NotSignedIn_RedirectedToProviderWithTheBrowsersCallbackUrl()
    {
        using var browser = Browser(new CookieContainer());

        using var page = await browser.GetAsync("/jobs");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var authorize = page.Headers.Location!;
        Assert.StartsWith(stack.Provider.Authority + "/authorize", authorize.ToString(), StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal(new Uri(stack.Nginx.BaseAddress, "/signin-oidc").ToString(), query["redirect_uri"]);
        Assert.Equal("S256", query["code_challenge_method"]);
    }

    [Theory]
    [InlineData("/v1/jobs")]
    [InlineData("/metrics")]
    public async Task Api_NotSignedIn_401NotARedirect(string path)
    {
        using var program = stack.Nginx.CreateClient();

        using var response = await program.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_CodeFlow_SessionServesPagesApiAndStream()
    {
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        using var page = await browser.GetAsync("/jobs");
        using var idp = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var signedIn = await idp.GetAsync(page.Headers.Location);
        using var callback = await browser.GetAsync(signedIn.Headers.Location);
        using var api = await browser.GetAsync("/v1/jobs");
        var handler = stack.Nginx.CreateHandler();
        handler.CookieContainer = cookies;
        var uri = stack.Nginx.WebSocketUri("/ws/video/stream?pipeline_id=yolo");
        var (stream, streamStatus) = await LoopbackClient.ConnectWebSocketAsync(
            uri, handler, new Dictionary<string, string> { ["Origin"] = stack.Nginx.Origin });
        stream?.Dispose();

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/jobs", callback.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, streamStatus);
    }
}
