using System.Numerics.Tensors;

namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// Greedy CTC decoding of the recognizer output: per time step the most likely class; repeats collapse, blanks
/// (class 0) separate and are dropped. Classes 1..n are the dictionary, class n + 1 is the space.
/// </summary>
internal sealed class CtcDecoder
{
    private readonly string[] _symbols;

    /// <param name="keys">The dictionary (ppocr_keys_v1.txt), one symbol per entry, in class order after the blank.</param>
    public CtcDecoder(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _symbols = new string[keys.Count + 1];
        for (var i = 0; i < keys.Count; i++)
        {
            _symbols[i] = keys[i];
        }

        _symbols[keys.Count] = " ";
        foreach (var symbol in _symbols)
        {
            MaxSymbolLength = Math.Max(MaxSymbolLength, symbol.Length);
        }
    }

    /// <summary>Chars per symbol at most (2 for a surrogate pair): scratch needs steps × this.</summary>
    public int MaxSymbolLength { get; }

    /// <summary>Blank + dictionary + space.</summary>
    public int ClassCount => _symbols.Length + 1;

    /// <summary>
    /// Decodes one line's [steps, ClassCount] probabilities. The score is the mean probability of the emitted
    /// characters (0 when nothing was read). <paramref name="scratch"/> holds steps × <see cref="MaxSymbolLength"/> chars.
    /// </summary>
    public (string Text, float Score) Decode(ReadOnlySpan<float> probabilities, int steps, Span<char> scratch)
    {
        var space = ClassCount - 1;
        var length = 0;
        var sum = 0f;
        var emitted = 0;
        var pendingSpace = -1f; // a space is kept only once a character follows it: none at either end
        var previous = 0;
        for (var t = 0; t < steps; t++)
        {
            var step = probabilities.Slice(t * ClassCount, ClassCount);
            var best = TensorPrimitives.IndexOfMax(step);
            if (best != 0 && best != previous)
            {
                if (best == space)
                {
                    pendingSpace = emitted > 0 ? step[best] : -1f;
                }
                else
                {
                    if (pendingSpace >= 0)
                    {
                        scratch[length++] = ' ';
                        sum += pendingSpace;
                        emitted++;
                        pendingSpace = -1f;
                    }

                    var symbol = _symbols[best - 1];
                    symbol.CopyTo(scratch[length..]);
                    length += symbol.Length;
                    sum += step[best];
                    emitted++;
                }
            }

            previous = best;
        }

        return emitted == 0 ? (string.Empty, 0f) : (new string(scratch[..length]), sum / emitted);
    }
}
