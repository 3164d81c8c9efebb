using StreamingApp.Core.Inference.Ocr;

namespace StreamingApp.Tests.Inference.Ocr;

public sealed class CtcDecoderTests
{
    // Classes: 0 blank, 1 'A', 2 'B', 3 '4', 4 space.
    private static readonly CtcDecoder Decoder = new(["A", "B", "4"]);

    [Fact]
    public void Decode_RepeatsAndBlanks_CollapsesRepeatsAndKeepsBlankSeparatedDoubles()
    {
        // Arrange: A A _ A B B _ _
        var probabilities = Steps((1, 0.9f), (1, 0.8f), (0, 0.9f), (1, 0.7f), (2, 0.6f), (2, 0.9f), (0, 0.9f), (0, 0.9f));

        // Act
        var (text, score) = Decoder.Decode(probabilities, 8, new char[16]);

        // Assert
        Assert.Equal("AAB", text);
        Assert.Equal((0.9f + 0.7f + 0.6f) / 3, score, 5);
    }

    [Fact]
    public void Decode_SpaceClass_KeepsSpacesBetweenWordsOnly()
    {
        // Arrange: ␠ A ␠ 4 ␠ _
        var probabilities = Steps((4, 0.9f), (1, 0.8f), (4, 0.6f), (3, 0.7f), (4, 0.9f), (0, 0.9f));

        // Act
        var (text, score) = Decoder.Decode(probabilities, 6, new char[12]);

        // Assert
        Assert.Equal("A 4", text);
        Assert.Equal((0.8f + 0.6f + 0.7f) / 3, score, 5);
    }

    [Fact]
    public void Decode_OnlyBlanks_ReturnsEmptyWithZeroScore()
    {
        // Act
        var (text, score) = Decoder.Decode(Steps((0, 0.99f), (0, 0.99f)), 2, new char[4]);

        // Assert
        Assert.Equal(string.Empty, text);
        Assert.Equal(0f, score);
    }

    /// <summary>One row of ClassCount probabilities per step, the given class winning with the given probability.</summary>
    private static float[] Steps(params (int Class, float Probability)[] steps)
    {
        var classes = Decoder.ClassCount;
        var data = new float[steps.Length * classes];
        for (var t = 0; t < steps.Length; t++)
        {
            data.AsSpan(t * classes, classes).Fill((1 - steps[t].Probability) / classes);
            data[(t * classes) + steps[t].Class] = steps[t].Probability;
        }

        return data;
    }
}
