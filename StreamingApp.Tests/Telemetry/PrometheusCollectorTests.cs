using StreamingApp.Core.Telemetry;
using StreamingApp.Core.Telemetry.Prometheus;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Telemetry;

public sealed class PrometheusCollectorTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();

    [Fact]
    public void Scrape_CountersAndHistograms_InTextFormat()
    {
        using var collector = new PrometheusCollector(_meters);
        var metrics = new StreamMetrics(_meters);

        metrics.FrameReceived("yolo");
        metrics.FrameReceived("yolo");
        metrics.FrameProcessed("yolo", decodeMs: 2, preprocessMs: 1, inferenceMs: 8, postprocessMs: 0.5, totalMs: 12);
        metrics.Error("invalid_frame");
        var text = collector.Scrape();

        Assert.Contains("# TYPE stream_frames_received_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_frames_received_total{pipeline=\"yolo\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_errors_total{code=\"invalid_frame\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE stream_frame_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_frame_duration_seconds_bucket{pipeline=\"yolo\",le=\"0.01\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_frame_duration_seconds_bucket{pipeline=\"yolo\",le=\"0.025\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_frame_duration_seconds_bucket{pipeline=\"yolo\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_frame_duration_seconds_count{pipeline=\"yolo\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_stage_duration_seconds_sum{pipeline=\"yolo\",stage=\"inference\"} 0.008\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrape_UpDownCounterAndObservableGauge_AsGauges()
    {
        using var collector = new PrometheusCollector(_meters);
        var metrics = new StreamMetrics(_meters);
        _ = new ProcessMetrics(_meters);

        metrics.SessionOpened("yolo");
        metrics.SessionOpened("yolo");
        metrics.SessionClosed("yolo");
        var text = collector.Scrape();

        Assert.Contains("# TYPE stream_sessions_active gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_sessions_active{pipeline=\"yolo\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stream_sessions_total{pipeline=\"yolo\"} 2\n", text, StringComparison.Ordinal);
        Assert.Matches(@"\nprocess_memory_working_set_bytes [1-9][0-9]*\n", text);
    }

    [Fact]
    public void Scrape_OtherMeterFactories_AreNotExported()
    {
        using var collector = new PrometheusCollector(_meters);
        using var otherFactory = new TestMeterFactory();
        new StreamMetrics(otherFactory).FrameReceived("other");

        var text = collector.Scrape();

        Assert.DoesNotContain("pipeline=\"other\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stream.frame.duration", "s", false, "stream_frame_duration_seconds")]
    [InlineData("stream.frames.received", "{frame}", true, "stream_frames_received_total")]
    [InlineData("process.memory.working_set", "By", false, "process_memory_working_set_bytes")]
    public void For_InstrumentNameAndUnit_PrometheusName(string name, string unit, bool counter, string expected)
    {
        Assert.Equal(expected, PrometheusNames.For(name, unit, counter));
    }

    [Fact]
    public void Labels_ValuesWithQuotesAndBackslashes_AreEscaped()
    {
        KeyValuePair<string, object?>[] tags = [new("detail", "a\"b\\c\nd")];

        Assert.Equal("detail=\"a\\\"b\\\\c\\nd\"", PrometheusNames.Labels(tags));
    }

    public void Dispose() => _meters.Dispose();
}
