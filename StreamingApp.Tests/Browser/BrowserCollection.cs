using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Browser;

/// <summary>One Chromium and one app for every browser test, run one test at a time (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<BrowserAppFixture>
{
    public const string Name = "Browser";
}

/// <summary>The real app (real pipelines, real /ws/video/stream) on Kestrel for the browser tests.</summary>
public sealed class BrowserAppFixture : IDisposable
{
    public KestrelAppHost App { get; } = new();

    public void Dispose() => App.Dispose();
}
