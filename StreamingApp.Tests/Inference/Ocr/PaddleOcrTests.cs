namespace StreamingApp.Tests.Inference.Ocr;

[Collection(ModelsCollection.Name)]
public sealed class PaddleOcrTests(Models models, ITestOutputHelper output)
{
    /// <summary>Each image with one core (one detector thread, one recognizer run) and two (both split across the cores).</summary>
    public static TheoryData<string, int> TextImages => new()
    {
        { OcrTextImages.BlackOnWhite.Name, 1 },
        { OcrTextImages.BlackOnWhite.Name, 2 },
        { OcrTextImages.WhiteOnDark.Name, 1 },
        { OcrTextImages.WhiteOnDark.Name, 2 },
        { OcrTextImages.LargeFrame.Name, 1 },
        { OcrTextImages.LargeFrame.Name, 2 },
    };

    [Theory]
    [MemberData(nameof(TextImages))]
    public void Read_PrintedTextImage_ReadsEveryLineWhereItWasDrawn(string name, int cores)
    {
        // Arrange
        var spec = Spec(name);

        // Act
        var texts = Read(spec, cores, out var timings);

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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Read_BenchmarkImages_MeanCharacterErrorRateWithSpacesAtMostTwoPercent(int cores)
    {
        // Arrange
        var errors = 0;
        var characters = 0;

        // Act
        foreach (var spec in OcrTextImages.Benchmark)
        {
            var read = string.Join('\n', Texts(Read(spec, cores, out _)));
            var truth = string.Join('\n', Truths(spec));
            errors += TextMetrics.Levenshtein(truth, read);
            characters += truth.Length;
        }

        // Assert
        var cer = (double)errors / characters;
        output.WriteLine($"{cores} cores: CER {cer:P2} ({errors} edits over {characters} characters, spaces and line breaks included)");
        Assert.InRange(cer, 0, 0.02);
    }

    [Fact]
    public void Read_ImageWithoutText_ReturnsNoTexts()
    {
        // Act
        var texts = Read(OcrTextImages.NoText, cores: 2, out _);

        // Assert
        Assert.Empty(texts);
    }

    [Fact]
    public void Read_SameFrameOnManyThreads_EveryCallGivesTheSameTexts()
    {
        // Arrange
        var spec = OcrTextImages.BlackOnWhite;
        using var frame = models.Decoder.Decode(OcrTextImages.EncodeJpeg(spec));
        var expected = models.Ocr.Read(frame, InferenceSlot.Standalone(2), out _);
        var results = new IReadOnlyList<RecognizedText>[8];

        // Act
        Parallel.For(
            0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = models.Ocr.Read(frame, InferenceSlot.Standalone(2), out _));

        // Assert
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData(false, 0, 2)] // the machine idle: the detector on two threads, then the lines in two groups at once
    [InlineData(true, 2, 0)] // every core held by a frame: both on one thread
    public void Read_IdleCoreOrNone_DetectorAndRecognizerUseTheCoresThereAre(bool everyCoreHeld, int oneThreadRuns, int twoThreadRuns)
    {
        // Arrange
        var scheduler = new InferenceScheduler(2);
        using var other = everyCoreHeld ? scheduler.Enqueue(InferencePriority.Interactive) : null;
        using var slot = scheduler.Enqueue(InferencePriority.Interactive);
        using var frame = models.Decoder.Decode(OcrTextImages.EncodeJpeg(OcrTextImages.BlackOnWhite));

        // Act
        var texts = models.Ocr.Read(frame, slot, out _);

        // Assert: and a borrowed core went back with its run.
        Assert.Equal(OcrTextImages.BlackOnWhite.Lines.Count, texts.Count);
        Assert.Equal((oneThreadRuns, twoThreadRuns), (scheduler.RunsWithThreads(1), scheduler.RunsWithThreads(2)));
        Assert.Equal(2, scheduler.Load.PeakBusyThreads);
        Assert.Equal(everyCoreHeld ? 2 : 1, scheduler.Load.BusyThreads);
    }

    private IReadOnlyList<RecognizedText> Read(TextImageSpec spec, int cores, out StageTimings timings)
    {
        using var frame = models.Decoder.Decode(OcrTextImages.EncodeJpeg(spec));
        var texts = models.Ocr.Read(frame, InferenceSlot.Standalone(cores), out timings);
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
