namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The real app on Kestrel (its own data folder) behind Debian's nginx running deploy/nginx.conf with TLS: one of
/// each for a test class. The browser's origin is <see cref="NginxProxy.Origin"/>; the app hears plain HTTP from nginx.
/// </summary>
public sealed class ProxiedApp : IDisposable
{
    public ProxiedApp()
    {
        App = new KestrelAppHost();
        Nginx = new NginxProxy(App.BaseAddress);
    }

    public KestrelAppHost App { get; }

    public NginxProxy Nginx { get; }

    public void Dispose()
    {
        Nginx.Dispose();
        App.Dispose();
    }
}
