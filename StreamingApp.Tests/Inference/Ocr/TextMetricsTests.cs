namespace StreamingApp.Tests.Inference.Ocr;

public sealed class TextMetricsTests
{
    [Theory]
    [InlineData("EXIT 42", "EXIT 42", 0)]
    [InlineData("EXIT 42", "EXIT42", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Levenshtein_KnownPairs_ReturnsEditDistance(string a, string b, int expected)
    {
        Assert.Equal(expected, TextMetrics.Levenshtein(a, b));
    }
}
