namespace StreamingApp.Tests.Streaming;

public sealed class StreamConfigurationTests
{
    [Fact]
    public void Start_BadStreamSetting_FailsNamingTheVariable()
    {
        using var host = new StreamTestHost(settings: new() { ["STREAM_SLOWDOWN_THRESHOLD"] = "2" });

        var exception = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("STREAM_SLOWDOWN_THRESHOLD", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_StreamingDisabled_NotFoundAndMetricsStillServed()
    {
        using var host = new StreamTestHost(settings: new() { ["Streaming:Enabled"] = "false" });
        using var http = host.CreateClient();

        var stream = await http.GetAsync("/ws/video/stream?pipeline_id=test");
        var metrics = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, stream.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}
