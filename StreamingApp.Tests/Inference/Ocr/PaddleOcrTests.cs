using StreamingApp.Core.Pipelines;
using StreamingApp.Tests.TestSupport;
using Xunit.Abstractions;

namespace StreamingApp.Tests.Inference.Ocr;

[Collection(ModelsCollection.Name)]
public sealed class PaddleOcrTests(Models models, ITestOutputHelper output)
{
    public static TheoryData<string> TextImages => [OcrTextImages.BlackOnWhite.Name, OcrTextImages.WhiteOnDark.Name, OcrTextImages.LargeFrame.Name];

    [Theory]
    [MemberData(nameof(TextImages))]
    public void Read_PrintedTextImage_ReadsEveryLineWhereItWasDrawn(string name)
    {
        // Arrange
        var spec = Spec(name);

        // Act
        var texts = Read(spec, out var timings);

        // Assert
        Assert.Equal(Truths(spec), Texts(texts));
        for (var i = 0; i < spec.Lines.Count; i++)
        {
            var line = spec.Lines[i];
            var box = texts[i];
            Assert.InRange(box.X * spec.Width, line.X - (0.6 * line.FontSize), line.X + (0.2 * line.FontSize));
            Assert.InRange((box.Y + (box.H / 2)) * spec.Height, line.Y + (0.2 * line.FontSize), line.Y + (0.9 * line.FontSize));
            Assert.InRange(box.H * spec.Height, 0.6 * line.FontSize, 2.0 * line.FontSize);
            Assert.InRange(box.Score, 0.5f, 1f);
        }

        Assert.True(timings.InferenceMs > 0);
    }

    [Fact]
    public void Read_BenchmarkImages_MeanCharacterErrorRateWithSpacesAtMostTwoPercent()
    {
        // Arrange
        var errors = 0;
        var characters = 0;

        // Act
        foreach (var spec in OcrTextImages.Benchmark)
        {
            var read = string.Join('\n', Texts(Read(spec, out _)));
            var truth = string.Join('\n', Truths(spec));
            errors += TextMetrics.Levenshtein(truth, read);
            characters += truth.Length;
        }

        // Assert
        var cer = (double)errors / characters;
        output.WriteLine($"CER {cer:P2} ({errors} edits over {characters} characters, spaces and line breaks included)");
        Assert.InRange(cer, 0, 0.02);
    }

    [Fact]
    public void Read_ImageWithoutText_ReturnsNoTexts()
    {
        // Act
        var texts = Read(OcrTextImages.NoText, out _);

        // Assert
        Assert.Empty(texts);
    }

    [Fact]
    public void Read_SameFrameOnManyThreads_EveryCallGivesTheSameTexts()
    {
        // Arrange
        var spec = OcrTextImages.BlackOnWhite;
        using var frame = models.Decoder.Decode(OcrTextImages.EncodeJpeg(spec));
        var expected = models.Ocr.Read(frame, out _);
        var results = new IReadOnlyList<RecognizedText>[8];

        // Act
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = models.Ocr.Read(frame, out _));

        // Assert
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    private IReadOnlyList<RecognizedText> Read(TextImageSpec spec, out StageTimings timings)
    {
        using var frame = models.Decoder.Decode(OcrTextImages.EncodeJpeg(spec));
        var texts = models.Ocr.Read(frame, out timings);
        foreach (var t in texts)
        {
            output.WriteLine($"{spec.Name}: \"{t.Text}\" score {t.Score:F3} box x {t.X * spec.Width:F0} y {t.Y * spec.Height:F0} w {t.W * spec.Width:F0} h {t.H * spec.Height:F0}");
        }

        output.WriteLine($"{spec.Name}: pre {timings.PreprocessMs:F1} ms, inference {timings.InferenceMs:F1} ms, post {timings.PostprocessMs:F1} ms");
        return texts;
    }

    private static TextImageSpec Spec(string name) =>
        name == OcrTextImages.BlackOnWhite.Name ? OcrTextImages.BlackOnWhite
        : name == OcrTextImages.WhiteOnDark.Name ? OcrTextImages.WhiteOnDark
        : OcrTextImages.LargeFrame;

    private static string[] Truths(TextImageSpec spec) => spec.Lines.Select(l => l.Text).ToArray();

    private static string[] Texts(IReadOnlyList<RecognizedText> texts) => texts.Select(t => t.Text).ToArray();
}
