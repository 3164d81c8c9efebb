namespace StreamingApp.Tests.Components.Stream;

public sealed class ErrorBannerTests : UiTests
{
    [Theory]
    [InlineData("invalid_pipeline", "The selected pipeline is not available.")]
    [InlineData("invalid_frame", "The video frame could not be processed.")]
    [InlineData("frame_too_large", "The video frame is too large.")]
    [InlineData("invalid_message", "The server received an unexpected message.")]
    [InlineData("pipeline_failure", "The pipeline failed while processing your video.")]
    [InlineData("internal_error", "An internal error occurred. Please try again.")]
    [InlineData("connection_lost", "The connection to the server was lost.")]
    public void Render_Code_ShowsItsFriendlyMessageInAnAlertWithTheDetail(string code, string message)
    {
        var cut = Ui.Render<ErrorBanner>(p => p.Add(b => b.Error, new StreamProblem(code, "the <detail>")));

        var alert = cut.Find("[role=alert]");
        Assert.Equal(code, alert.GetAttribute("data-code"));
        Assert.Equal(message, cut.Find(".error-message").TextContent);
        Assert.Equal($"{code}: the <detail>", cut.Find(".error-detail").TextContent);
        Assert.Equal("Retry", cut.Find("button").TextContent);
    }

    [Theory]
    [InlineData("connection_lost", 1)]
    [InlineData("invalid_pipeline", 0)]
    public void Render_ConnectionLost_AlsoOffersTheUpload(string code, int links)
    {
        var cut = Ui.Render<ErrorBanner>(p => p.Add(b => b.Error, new StreamProblem(code, "x")));

        Assert.Equal(links, cut.FindAll("a.error-fallback[href=jobs]").Count);
    }

    [Fact]
    public void Retry_Click_RaisesOnRetry()
    {
        var retried = 0;
        var cut = Ui.Render<ErrorBanner>(p => p
            .Add(b => b.Error, new StreamProblem("invalid_pipeline", "x"))
            .Add(b => b.OnRetry, () => retried++));

        cut.Find("button").Click();

        Assert.Equal(1, retried);
    }

    [Fact]
    public void Render_NoError_RendersNothing()
    {
        var cut = Ui.Render<ErrorBanner>();

        Assert.Empty(cut.Markup.Trim());
    }
}
