using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;
using StreamingApp.Components;

namespace StreamingApp.Tests.Components;

/// <summary>The UI as the host serves it (WebApplicationFactory, real catalog): assets, prerendered pages, no leftovers.</summary>
public sealed partial class WebUiHostTests(WebUiHostTests.Factory factory) : IClassFixture<WebUiHostTests.Factory>
{
    public sealed class Factory : StreamingAppFactory;

    /// <summary>
    /// Every file the app ships from wwwroot-assets (so a new module or stylesheet is covered without editing this test)
    /// and Blazor's own script.
    /// </summary>
    public static TheoryData<string> StaticAssets => new(
    [
        "/_framework/blazor.web.js",
        .. Directory.EnumerateFiles(AssetsRoot, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(AssetsRoot, file).Replace('\\', '/'))
            .Where(IsBrowserFile)
            .Order(StringComparer.Ordinal)
            .Select(file => "/" + file),
    ]);

    private static string AssetsRoot => Path.Combine(TestPaths.RepoRoot, "wwwroot-assets");

    [Theory]
    [MemberData(nameof(StaticAssets))]
    public async Task StaticAssets_FromTheBuildManifest_AreServed(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypeOf(path), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StreamPage_Prerendered_ControlsWaitForTheCircuitAndBlazorIsLoaded()
    {
        var html = await factory.CreateClient().GetStringAsync("/");

        Assert.Matches("""<button type="button" class="primary" disabled[^>]*>Start</button>""", html);
        Assert.Contains("<span>Pipeline</span>", html, StringComparison.Ordinal);
        Assert.Matches("""<option value="yolo"[^>]*selected""", html);
        Assert.Matches("""<script src="_framework/blazor\.web\.[a-z0-9]+\.js"></script>""", html);
        Assert.Contains("""<dialog id="components-reconnect-modal" """, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsPage_Prerendered_TheUploadFormWaitsForTheCircuit()
    {
        // A file chosen on the prerendered page would be lost when the interactive page replaces it.
        var html = await factory.CreateClient().GetStringAsync("/jobs");

        Assert.Matches("""<input type="file"[^>]*disabled""", html);
        Assert.Matches("""<button type="button" class="primary" disabled[^>]*>Upload</button>""", html);
    }

    [Fact]
    public async Task StreamPage_UnknownPipelineQuery_PreselectsItAsUnavailable()
    {
        var html = await factory.CreateClient().GetStringAsync("/?pipeline=nonexistent");

        Assert.Matches("""<option value="nonexistent"[^>]*>nonexistent \(unavailable\)</option>""", html);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/jobs")]
    public async Task Pages_Any_HaveNoInlineScriptSoAStrictContentSecurityPolicyHolds(string path)
    {
        var html = await factory.CreateClient().GetStringAsync(path);

        Assert.All(ScriptTagRegex().Matches(html), script => Assert.Contains(" src=", script.Value, StringComparison.Ordinal));
        Assert.DoesNotMatch(InlineHandlerRegex(), html);
    }

    [Fact]
    public async Task JobPage_UnknownJob_Is404WithTheNotFoundPage()
    {
        var response = await factory.CreateClient().GetAsync("/jobs/0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("This address names no page and no job.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ui/realtime")]
    [InlineData("/ui/jobs/events")]
    public async Task OldLiveChannels_AreGone(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Circuit_MessageLimit_TakesAFullPageOfOcrText()
    {
        // Blazor's hub type is internal; its options are what the circuit enforces.
        var hub = Type.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub, Microsoft.AspNetCore.Components.Server", throwOnError: true)!;
        var options = factory.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(typeof(HubOptions<>).MakeGenericType(hub)));

        var limit = ((HubOptions)options.GetType().GetProperty("Value")!.GetValue(options)!).MaximumReceiveMessageSize;

        Assert.Equal(WebUiExtensions.MaxAnswerBytes, limit);
        Assert.True(limit >= 200 * 1024);
    }

    // The folder also holds the modules' node tests and package.json: those stay on the node side.
    private static bool IsBrowserFile(string relativePath) =>
        relativePath != "package.json"
        && !relativePath.StartsWith("test/", StringComparison.Ordinal)
        && !relativePath.StartsWith("node_modules/", StringComparison.Ordinal);

    private static string MediaTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".js" => "text/javascript",
        ".css" => "text/css",
        var other => throw new InvalidOperationException($"{path}: which media type should a '{other}' file be served with?"),
    };

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTagRegex();

    [GeneratedRegex("""\son[a-z]+=""")]
    private static partial Regex InlineHandlerRegex();
}
