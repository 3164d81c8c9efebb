using StreamingApp.Tests.Streaming;

namespace StreamingApp.Tests.Telemetry;

/// <summary><c>/metrics</c> of the real host: the series docs/OPERATIONS.md names, with values, and only this host's.</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly StreamTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Metrics_AfterStreamingFrames_ExportsTheDocumentedSeriesWithValues()
    {
        await StreamFramesAsync(_host, "slow", frames: 3);

        var (contentType, text) = await ScrapeAsync(_host);

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", contentType);
        Assert.Contains("\nstreamingapp_stream_sessions_active{pipeline=\"slow\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("\nstreamingapp_stream_sessions{pipeline=\"slow\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nstreamingapp_stream_frames_received{pipeline=\"slow\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("\nstreamingapp_stream_frames_processed{pipeline=\"slow\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("\n# TYPE streamingapp_stream_frame_duration histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("\nstreamingapp_stream_frame_duration_count{pipeline=\"slow\"} 3\n", text, StringComparison.Ordinal);
        Assert.Matches("\nstreamingapp_stream_frame_duration_bucket\\{pipeline=\"slow\",le=\"0.001\"\\} \\d+\n", text);
        Assert.Contains("\nstreamingapp_stream_stage_duration_count{pipeline=\"slow\",stage=\"decode\"} 3\n", text, StringComparison.Ordinal);
        Assert.Matches("\nprocess_working_set_bytes [1-9][0-9.e+]*\n", text);
        Assert.Matches("\nprocess_cpu_seconds_total [0-9.e+-]+\n", text);
        Assert.Matches("\ndotnet_total_memory_bytes [1-9][0-9.e+]*\n", text);
    }

    [Fact]
    public async Task Metrics_AnotherHostStreamed_ShowsNoneOfItsSeries()
    {
        using var other = new StreamTestHost();
        await StreamFramesAsync(other, "test", frames: 1);
        await StreamFramesAsync(_host, "slow", frames: 1);

        var (_, text) = await ScrapeAsync(_host);
        var (_, otherText) = await ScrapeAsync(other);

        Assert.Contains("streamingapp_stream_frames_received{pipeline=\"slow\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pipeline=\"test\"", text, StringComparison.Ordinal);
        Assert.Contains("streamingapp_stream_frames_received{pipeline=\"test\"} 1\n", otherText, StringComparison.Ordinal);
        Assert.DoesNotContain("pipeline=\"slow\"", otherText, StringComparison.Ordinal);
    }

    private static async Task StreamFramesAsync(StreamTestHost host, string pipeline, int frames)
    {
        using (var client = await host.ConnectAsync(pipeline))
        {
            for (var i = 0; i < frames; i++)
            {
                await client.SendFrameAsync(StreamTestHost.MinimalJpeg());
                await client.ReceiveAsync();
            }

            await client.CloseAndDrainAsync();
        }

        Assert.Equal(0, await host.WaitForNoSessionsAsync());
    }

    private static async Task<(string? ContentType, string Text)> ScrapeAsync(StreamTestHost host)
    {
        using var http = host.CreateClient();
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }
}
