using System.Reflection;

namespace StreamingApp.Tests.Components.Stream;

public sealed class ErrorBannerTests : UiTests
{
    /// <summary>
    /// Every code the banner may show: each stream error code the server sends (read from <see cref="StreamErrors"/>, so
    /// a new code is covered without editing this test) and the page's own <c>connection_lost</c>.
    /// </summary>
    private static readonly string[] AllCodes =
    [
        .. typeof(StreamErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(constant => constant.IsLiteral)
            .Select(constant => (string)constant.GetRawConstantValue()!),
        StreamProblem.ConnectionLost,
    ];

    public static TheoryData<string> Codes => new(AllCodes);

    [Theory]
    [MemberData(nameof(Codes))]
    public void Render_Code_ShowsItsMessageInAnAlertWithTheDetailAndRetry(string code)
    {
        var cut = Ui.Render<ErrorBanner>(p => p.Add(b => b.Error, new StreamProblem(code, "the <detail>")));

        var alert = cut.Find("[role=alert]");
        Assert.Equal(code, alert.GetAttribute("data-code"));
        Assert.Equal(ErrorBanner.MessageFor(code), cut.Find(".error-message").TextContent);
        Assert.Equal($"{code}: the <detail>", cut.Find(".error-detail").TextContent);
        Assert.Equal("Retry", cut.Find("button").TextContent);
    }

    [Fact]
    public void MessageFor_EveryCode_HasAMessageOfItsOwn()
    {
        // A code the banner does not know falls back to the internal error's message, and so would repeat it.
        var codesSharingAMessage = AllCodes.GroupBy(ErrorBanner.MessageFor)
            .Where(codes => codes.Count() > 1)
            .Select(codes => string.Join(" and ", codes));

        Assert.Empty(codesSharingAMessage);
    }

    // The words are the page's contract with the person (and its tests' hooks): each is stated here, so swapping two
    // messages, or rewording one, fails.
    [Theory]
    [InlineData("invalid_pipeline", "The selected pipeline is not available.")]
    [InlineData("invalid_frame", "The video frame could not be processed.")]
    [InlineData("frame_too_large", "The video frame is too large.")]
    [InlineData("invalid_message", "The server received an unexpected message.")]
    [InlineData("pipeline_failure", "The pipeline failed while processing your video.")]
    [InlineData("internal_error", "An internal error occurred. Please try again.")]
    [InlineData("connection_lost", "The connection to the server was lost.")]
    [InlineData("a_code_of_a_newer_server", "An internal error occurred. Please try again.")]
    public void MessageFor_Code_InWordsAPersonUnderstands(string code, string message)
    {
        Assert.Equal(message, ErrorBanner.MessageFor(code));
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
