using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using StreamingApp.Components.Realtime;
using StreamingApp.Core.Pipelines;
using StreamingApp.Realtime;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Components;

public sealed partial class RealtimeComponentsTests
{
    private static RealtimeContext WithResult(FrameResult result, long frameIndex) =>
        new() { LastResult = result, LastResultFrameIndex = frameIndex, FrameAspect = 4.0 / 3.0 };

    [Fact]
    public async Task RealtimeOverlay_Detections_DrawsRectAtNormalizedPlaceWithLabel()
    {
        var context = WithResult(new FrameResult(
            [new Detection(0.125f, 0.25f, 0.5f, 0.375f, "bus", 0.912f), new Detection(0.7f, 0.1f, 0.1f, 0.6f, "person", 0.55f)],
            null), frameIndex: 41);

        var html = await ComponentRendering.RenderAsync<RealtimeOverlay>(context);

        Assert.Contains("viewBox=\"0 0 1 1\"", html);
        Assert.Contains("preserveAspectRatio=\"none\"", html);
        Assert.Equal(2, DetectionRegex().Matches(html).Count);
        Assert.Contains("<g data-testid=\"detection\" data-label=\"bus\" class=\"detection\"><rect x=\"0.125\" y=\"0.25\" width=\"0.5\" height=\"0.375\"", html);
        Assert.Contains("<rect x=\"0.7\" y=\"0.1\" width=\"0.1\" height=\"0.6\"", html);
        Assert.Contains(">bus 91%</text>", html);
        Assert.Contains(">person 55%</text>", html);
        Assert.Contains("data-testid=\"frame-index\">frame 41</span>", html);
    }

    [Fact]
    public async Task RealtimeOverlay_Texts_DrawsTextBoxWithRecognizedText()
    {
        var context = WithResult(new FrameResult([], [new RecognizedText(0.2f, 0.3f, 0.4f, 0.1f, "EXIT 42", 0.98f)]), 3);

        var html = await ComponentRendering.RenderAsync<RealtimeOverlay>(context);

        Assert.Contains("<g data-testid=\"text\" class=\"text-box\"><rect x=\"0.2\" y=\"0.3\" width=\"0.4\" height=\"0.1\"", html);
        Assert.Contains(">EXIT 42</text>", html);
        Assert.DoesNotContain("data-testid=\"detection\"", html);
    }

    [Fact]
    public async Task RealtimeOverlay_LabelText_IsScaledBackByFrameAspect()
    {
        var context = WithResult(new FrameResult([new Detection(0.5f, 0.5f, 0.1f, 0.1f, "cat", 0.9f)], null), 0);

        var html = await ComponentRendering.RenderAsync<RealtimeOverlay>(context);

        Assert.Contains("<text font-size=\"0.034\" transform=\"translate(0.5 0.49) scale(0.75 1)\">cat 90%</text>", html);
    }

    [Fact]
    public async Task RealtimeOverlay_BoxAtRightEdge_LabelIsRightAlignedToBox()
    {
        var context = WithResult(new FrameResult([new Detection(0.92f, 0.5f, 0.08f, 0.2f, "bus", 0.81f)], null), 0);

        var html = await ComponentRendering.RenderAsync<RealtimeOverlay>(context);

        Assert.Contains("<text text-anchor=\"end\" font-size=\"0.034\" transform=\"translate(1 0.49) scale(0.75 1)\">bus 81%</text>", html);
    }

    [Fact]
    public async Task RealtimeOverlay_NoResultYet_HasNoBoxesNorFrameIndex()
    {
        var html = await ComponentRendering.RenderAsync<RealtimeOverlay>(new RealtimeContext());

        Assert.Contains("<svg", html);
        Assert.DoesNotContain("data-testid=\"detection\"", html);
        Assert.DoesNotContain("frame-index", html);
    }

    [Theory]
    [InlineData("invalid_pipeline", "The selected pipeline is not available.")]
    [InlineData("invalid_frame", "The video frame could not be processed.")]
    [InlineData("frame_too_large", "The video frame is too large.")]
    [InlineData("invalid_message", "The server received an unexpected message.")]
    [InlineData("pipeline_failure", "The pipeline failed while processing your video.")]
    [InlineData("internal_error", "An internal error occurred. Please try again.")]
    public async Task ErrorBanner_Code_ShowsFriendlyMessageDetailAndRetry(string code, string message)
    {
        var context = new RealtimeContext { LastError = new RealtimeError(code, "the detail") };

        var html = await ComponentRendering.RenderAsync<ErrorBanner>(context);

        Assert.Contains("role=\"alert\"", html);
        Assert.Contains($"<p class=\"error-message\">{message}</p>", html);
        Assert.Contains("<summary>Details</summary>", html);
        Assert.Contains("the detail", html);
        Assert.Contains(">Retry</button>", html);
    }

    [Fact]
    public async Task ErrorBanner_NoError_RendersNothing()
    {
        var html = await ComponentRendering.RenderAsync<ErrorBanner>(new RealtimeContext());

        Assert.Equal("", html.Trim());
    }

    [Fact]
    public async Task StreamDebugPanel_Visible_ShowsFigures()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(10));
        var context = new RealtimeContext
        {
            DebugVisible = true,
            Status = RealtimeStatus.Connected,
            StartedAt = start,
            FramesSent = 150,
            FramesAnswered = 140,
            DroppedFrames = 14,
            SlowDownWarnings = 2,
            ThrottleFps = 5,
            LastLatencyMs = 23.46,
            LastTimings = new ServerTimings(1.2, 8.4, 11.0),
        };

        var html = await ComponentRendering.RenderAsync<StreamDebugPanel>(context, time);

        Assert.Contains("data-testid=\"debug-panel\"", html);
        Assert.Contains("data-testid=\"debug-status\">connected<", html);
        Assert.Contains("data-testid=\"debug-frames\">150<", html);
        Assert.Contains("data-testid=\"debug-fps\">15.0<", html);
        Assert.Contains("data-testid=\"debug-throttle\">5 FPS<", html);
        Assert.Contains("data-testid=\"debug-dropped\">14 (10.0%)<", html);
        Assert.Contains("data-testid=\"debug-slowdowns\">2<", html);
        Assert.Contains("data-testid=\"debug-latency\">23.5 ms<", html);
        Assert.Contains("data-testid=\"debug-decode\">1.2 ms<", html);
        Assert.Contains("data-testid=\"debug-inference\">8.4 ms<", html);
    }

    [Fact]
    public async Task StreamDebugPanel_Hidden_RendersNothing()
    {
        var html = await ComponentRendering.RenderAsync<StreamDebugPanel>(new RealtimeContext());

        Assert.DoesNotContain("debug-panel", html);
    }

    [Theory]
    [InlineData("permission_denied", "Camera access was denied")]
    [InlineData("no_camera", "No camera was found")]
    [InlineData("camera_in_use", "The camera is in use by another application")]
    public async Task CameraMessage_Kind_ShowsClearMessage(string kind, string text)
    {
        var html = await ComponentRendering.RenderAsync<CameraMessage>(new RealtimeContext { CameraError = kind });

        Assert.Contains(text, html);
        Assert.Contains($"data-kind=\"{kind}\"", html);
    }

    [GeneratedRegex("data-testid=\"detection\"")]
    private static partial Regex DetectionRegex();
}
