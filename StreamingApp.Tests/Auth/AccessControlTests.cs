using System.Net.Sockets;
using StreamingApp.Auth;

namespace StreamingApp.Tests.Auth;

public sealed class AccessControlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("http://127.4.5.6:80", false)]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://[::]:5080", true)]
    [InlineData("http://*:5080", true)]
    [InlineData("http://+:5080", true)]
    [InlineData("http://10.0.0.5:5080", true)]
    [InlineData("https://app.example.com:443", true)]
    public void IsBeyondLoopback_ListeningAddress(string address, bool expected)
    {
        Assert.Equal(expected, OpenNetworkWarning.IsBeyondLoopback(address));
    }

    [Fact]
    public void Start_NoAuthListeningOnEveryInterface_LoudWarning()
    {
        using var host = new KestrelAppHost([], listenOn: IPAddress.Any);

        var warning = Assert.Single(host.Logs.Logs, l => l.EventId == 6060);

        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("0.0.0.0", (string?)warning.Properties["Addresses"]);
    }

    [Fact]
    public void Start_NoAuthOnLoopback_NoWarning()
    {
        using var host = new KestrelAppHost([]);

        Assert.DoesNotContain(host.Logs.Logs, l => l.EventId == 6060);
    }

    [Fact]
    public void Start_SignInModeAllOnEveryInterface_NoWarning()
    {
        using var host = new KestrelAppHost(new() { ["Auth:Mode"] = "proxy" }, listenOn: IPAddress.Any);

        Assert.DoesNotContain(host.Logs.Logs, l => l.EventId == 6060);
    }

    [Fact]
    public async Task Metrics_OnTheMetricsPort_OpenWithoutUserAndNothingElseThere()
    {
        using var metricsSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        metricsSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var metricsPort = ((IPEndPoint)metricsSocket.LocalEndPoint!).Port;
        using var host = new KestrelAppHost(
            new() { ["Auth:Mode"] = "proxy", ["Auth:MetricsPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            alsoListening: metricsSocket);
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
        using var app = host.Client();

        using var metrics = await scraper.GetAsync("/metrics");
        using var page = await scraper.GetAsync("/v1/jobs");
        using var metricsOnAppPort = await app.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("process_working_set_bytes", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, metricsOnAppPort.StatusCode);
    }
}
