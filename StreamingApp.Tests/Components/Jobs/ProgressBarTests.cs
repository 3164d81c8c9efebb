namespace StreamingApp.Tests.Components.Jobs;

public sealed class ProgressBarTests : UiTests
{
    [Theory]
    [InlineData(42, "42")]
    [InlineData(150, "100")]
    [InlineData(-3, "0")]
    public void Render_Value_ClampedIntoAriaValueNowTheFillAndTheText(int value, string expected)
    {
        var cut = Ui.Render<ProgressBar>(p => p.Add(b => b.Value, value).Add(b => b.Label, "Job progress"));

        var bar = cut.Find("[role=progressbar]");
        Assert.Equal(expected, bar.GetAttribute("aria-valuenow"));
        Assert.Equal("Job progress", bar.GetAttribute("aria-label"));
        Assert.Equal(expected + "%", cut.Find(".progress-fill rect").GetAttribute("width"));
        Assert.Equal(expected + "%", cut.Find(".progress-text").TextContent);
    }

    [Fact]
    public void Render_Value_NoInlineStyleForAStrictContentSecurityPolicy()
    {
        var cut = Ui.Render<ProgressBar>(p => p.Add(b => b.Value, 10));

        Assert.DoesNotContain("style=", cut.Markup, StringComparison.Ordinal);
    }
}
