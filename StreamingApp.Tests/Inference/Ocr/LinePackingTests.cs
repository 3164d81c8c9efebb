using StreamingApp.Core.Inference.Ocr;

namespace StreamingApp.Tests.Inference.Ocr;

public sealed class LinePackingTests
{
    [Fact]
    public void Pack_LinesFittingOneRow_PutsThemSideBySideWidestFirstWithGaps()
    {
        // Arrange
        int[] widths = [150, 466, 330];
        var (rowOf, offsetOf, fill, order) = (new int[3], new int[3], new int[3], new int[3]);

        // Act
        var (rows, width) = LinePacking.Pack(widths, rowOf, offsetOf, fill, order);

        // Assert: 472 + 32 + 336 + 32 + 152 columns, widest first.
        Assert.Equal(1, rows);
        Assert.Equal(1024, width);
        Assert.Equal([872, 0, 504], offsetOf);
        Assert.All(rowOf, r => Assert.Equal(0, r));
    }

    [Fact]
    public void Pack_MoreThanOneRowOfText_SplitsIntoRowsUnderTheCapWithLittlePadding()
    {
        // Arrange: 12 lines of 400 columns: 12 × 432 − 32 = 5152 columns, more than two rows' cap.
        var widths = Enumerable.Repeat(400, 12).ToArray();
        var (rowOf, offsetOf, fill, order) = (new int[12], new int[12], new int[12], new int[12]);

        // Act
        var (rows, width) = LinePacking.Pack(widths, rowOf, offsetOf, fill, order);

        // Assert: rows under the cap, the batch at most 5% bigger than text plus one gap per line; no overlaps.
        Assert.InRange(width, 400, LinePacking.MaxRowWidth);
        Assert.InRange(rows * width, 12 * 400, 1.05 * 12 * 432);
        for (var a = 0; a < widths.Length; a++)
        {
            Assert.InRange(offsetOf[a] + widths[a], 0, width);
            for (var b = a + 1; b < widths.Length; b++)
            {
                Assert.True(rowOf[a] != rowOf[b] || offsetOf[a] + widths[a] + LinePacking.Gap <= offsetOf[b] || offsetOf[b] + widths[b] + LinePacking.Gap <= offsetOf[a]);
            }
        }
    }

    [Fact]
    public void Split_FiveLinesIntoTwoGroups_EveryLineOnceInWidthBalancedGroups()
    {
        // Arrange: the widest first, each to the lighter group: {560, 248} and {400, 304, 200} with gaps.
        int[] widths = [400, 560, 200, 304, 248];
        var (members, starts, scratch) = (new int[5], new int[3], new int[15]);

        // Act
        LinePacking.Split(widths, members, starts, scratch);

        // Assert
        Assert.Equal([0, 2, 5], starts);
        Assert.Equal([1, 4], members[0..2]);
        Assert.Equal([0, 2, 3], members[2..5]);
    }

    [Fact]
    public void Split_AsManyGroupsAsLines_OneLinePerGroup()
    {
        // Arrange
        int[] widths = [100, 300, 200];
        var (members, starts, scratch) = (new int[3], new int[4], new int[9]);

        // Act
        LinePacking.Split(widths, members, starts, scratch);

        // Assert
        Assert.Equal([0, 1, 2, 3], starts);
        Assert.Equal([1, 2, 0], members);
    }
}
