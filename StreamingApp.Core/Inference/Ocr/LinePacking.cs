namespace StreamingApp.Core.Inference.Ocr;

/// <summary>
/// Lays the lines of a frame out on the rows of one recognizer batch. The recognizer's cost grows with the total
/// number of input columns, padding included: padding every line to the widest one (PaddleOCR's batching) needed
/// 11–33% more columns on the benchmark frames than packing them. So lines are placed side by side, widest first
/// (PaddleOCR's sort by aspect ratio), each in the first row with room (first-fit decreasing), with a blank gap
/// between neighbours, and the row width is chosen so the rows come out about equally full.
/// </summary>
internal static class LinePacking
{
    /// <summary>Blank columns between two lines of a row: 4 time steps, enough for CTC to emit blanks between them.</summary>
    public const int Gap = 32;

    /// <summary>
    /// Rows longer than this are split: the recognizer's attention grows with the square of a row's length
    /// (measured: 6400 columns in one row cost ~15% more than in rows of 320).
    /// </summary>
    public const int MaxRowWidth = 2560;

    /// <summary>
    /// Places every line at (<paramref name="rowOf"/>, <paramref name="offsetOf"/>). Returns the number of rows and
    /// the batch width (the fullest row; offsets and widths are multiples of 8, the recognizer's column stride).
    /// </summary>
    /// <param name="rowFill">Scratch, one entry per line.</param>
    /// <param name="order">Scratch, one entry per line.</param>
    public static (int Rows, int Width) Pack(
        ReadOnlySpan<int> widths, Span<int> rowOf, Span<int> offsetOf, Span<int> rowFill, Span<int> order)
    {
        order = order[..widths.Length];
        var keys = rowFill[..widths.Length];
        var total = -Gap;
        for (var i = 0; i < widths.Length; i++)
        {
            order[i] = i;
            keys[i] = -widths[i];
            total += RoundUp8(widths[i]) + Gap;
        }

        keys.Sort(order); // widest first
        var widest = RoundUp8(widths[order[0]]);

        // Try a few row counts around the least that keeps rows under the cap; keep the smallest rows × width.
        var fewestRows = (total + MaxRowWidth - 1) / MaxRowWidth;
        var bestLimit = 0;
        var bestCost = long.MaxValue;
        for (var rows = fewestRows; rows <= fewestRows + 2; rows++)
        {
            var limit = Math.Max(widest, RoundUp8((total + rows - 1) / rows));
            var (used, width) = FirstFitDecreasing(widths, order, limit, rowOf, offsetOf, rowFill);
            if ((long)used * width < bestCost)
            {
                bestCost = (long)used * width;
                bestLimit = limit;
            }
        }

        return FirstFitDecreasing(widths, order, bestLimit, rowOf, offsetOf, rowFill);
    }

    /// <summary>
    /// Splits the lines into <c>starts.Length - 1</c> groups of about equal width for recognizer runs in parallel:
    /// widest first, each to the group with the fewest columns so far (longest processing time first). Writes the
    /// line indices group by group to <paramref name="members"/>, group g from <c>starts[g]</c> to <c>starts[g + 1]</c>;
    /// no group is empty while there are at least as many lines as groups.
    /// </summary>
    /// <param name="scratch">Three entries per line.</param>
    public static void Split(ReadOnlySpan<int> widths, Span<int> members, Span<int> starts, Span<int> scratch)
    {
        var n = widths.Length;
        var groups = starts.Length - 1;
        var order = scratch[..n];
        var keys = scratch.Slice(n, n);
        var groupOf = scratch.Slice(2 * n, n);
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
            keys[i] = -widths[i];
        }

        keys.Sort(order); // widest first
        Span<long> columns = stackalloc long[groups];
        columns.Clear();
        foreach (var line in order)
        {
            var lightest = 0;
            for (var g = 1; g < groups; g++)
            {
                lightest = columns[g] < columns[lightest] ? g : lightest;
            }

            groupOf[line] = lightest;
            columns[lightest] += RoundUp8(widths[line]) + Gap;
        }

        // Counting sort by group, lines in their original order within a group.
        starts.Clear();
        foreach (var g in groupOf)
        {
            starts[g + 1]++;
        }

        for (var g = 0; g < groups; g++)
        {
            starts[g + 1] += starts[g];
        }

        var next = keys; // the sort keys are no longer needed
        starts[..groups].CopyTo(next);
        for (var line = 0; line < n; line++)
        {
            members[next[groupOf[line]]++] = line;
        }
    }

    private static (int Rows, int Width) FirstFitDecreasing(
        ReadOnlySpan<int> widths, ReadOnlySpan<int> order, int limit, Span<int> rowOf, Span<int> offsetOf, Span<int> rowFill)
    {
        var rows = 0;
        foreach (var line in order)
        {
            var width = RoundUp8(widths[line]);
            var row = 0;
            while (row < rows && rowFill[row] + Gap + width > limit)
            {
                row++;
            }

            if (row == rows)
            {
                rowFill[rows++] = -Gap; // the first line of a row needs no gap before it
            }

            offsetOf[line] = rowFill[row] + Gap;
            rowOf[line] = row;
            rowFill[row] = offsetOf[line] + width;
        }

        var batchWidth = 0;
        for (var row = 0; row < rows; row++)
        {
            batchWidth = Math.Max(batchWidth, rowFill[row]);
        }

        return (rows, batchWidth);
    }

    private static int RoundUp8(int value) => (value + 7) / 8 * 8;
}
