namespace StreamingApp.Tests.Components.Stream;

public sealed class OverlayLayoutTests
{
    [Fact]
    public void Place_BoxWithRoomAbove_CaptionSitsOnTheBoxTopLeft()
    {
        var item = Assert.Single(OverlayLayout.Place(new FrameResult([new Detection(0.5f, 0.5f, 0.1f, 0.1f, "cat", 0.9f)], null), 640, 480));

        Assert.Equal(new PixelRect(320, 240 - OverlayLayout.CaptionHeight, OverlayLayout.CaptionWidth("cat 90%"), OverlayLayout.CaptionHeight), item.CaptionBox);
    }

    [Fact]
    public void Place_BoxAtTheTopEdge_CaptionGoesInsideTheBox()
    {
        var item = Assert.Single(OverlayLayout.Place(new FrameResult([new Detection(0.1f, 0f, 0.2f, 0.5f, "person", 0.8f)], null), 640, 480));

        Assert.Equal(0, item.CaptionBox.Y);
    }

    [Fact]
    public void Place_BoxAtTheRightEdge_CaptionStaysOnTheDisplay()
    {
        var item = Assert.Single(OverlayLayout.Place(new FrameResult([new Detection(0.95f, 0.5f, 0.05f, 0.2f, "motorcycle", 0.81f)], null), 640, 480));

        Assert.Equal(640, item.CaptionBox.Right, precision: 6);
        Assert.True(item.CaptionBox.X < item.Box.X);
    }

    [Fact]
    public void Place_ManyCoincidingBoxes_EveryCaptionOnTheDisplayAndNoneOverlapping()
    {
        var box = new Detection(0.4f, 0.9f, 0.2f, 0.1f, "cup", 0.5f);
        var result = new FrameResult(Enumerable.Range(0, 8).Select(i => box with { Score = 0.9f - (i * 0.05f) }).ToList(), null);

        var captions = OverlayLayout.Place(result, 640, 480).Select(i => i.CaptionBox).ToList();

        Assert.All(captions, c => Assert.InRange(c.Bottom, OverlayLayout.CaptionHeight, 480));
        for (var i = 0; i < captions.Count; i++)
        {
            for (var j = i + 1; j < captions.Count; j++)
            {
                Assert.False(captions[i].Overlaps(captions[j]), $"{captions[i]} covers {captions[j]}");
            }
        }
    }
}
