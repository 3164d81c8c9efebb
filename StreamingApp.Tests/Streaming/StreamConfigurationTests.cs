namespace StreamingApp.Tests.Streaming;

public sealed class StreamConfigurationTests
{
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
