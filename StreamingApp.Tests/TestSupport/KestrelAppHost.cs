namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The real app (real models) started at once on real Kestrel (<see cref="StreamingAppFactory.StartKestrel"/>), for a
/// browser, nginx or a raw socket to reach: the in-memory TestServer cannot serve them. Settings are test hooks.
/// </summary>
public sealed class KestrelAppHost : StreamingAppFactory
{
    public KestrelAppHost(IReadOnlyDictionary<string, string?>? settings = null)
        : base(settings)
    {
        StartKestrel();
    }
}
