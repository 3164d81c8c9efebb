namespace StreamingApp.Tests.Components.Stream;

public sealed class StreamMessageTests
{
    [Fact]
    public void Parse_Result_FrameIndexResultAndTimings()
    {
        var message = StreamMessage.Parse("""
            {"frame_index":7,"result":{"detections":[{"x":0.1,"y":0.2,"w":0.3,"h":0.4,"label":"person","score":0.92}],
             "texts":[{"x":0.5,"y":0.6,"w":0.2,"h":0.1,"text":"EXIT 42","score":0.98}]},"timings":{"decode_ms":1,"inference_ms":8.5,"total_ms":11}}
            """);

        var result = Assert.IsType<StreamMessage.Result>(message);
        Assert.Equal(7, result.FrameIndex);
        Assert.Equal("person", Assert.Single(result.Frame.Detections).Label);
        Assert.Equal(new RecognizedText(0.5f, 0.6f, 0.2f, 0.1f, "EXIT 42", 0.98f), Assert.Single(result.Frame.Texts!));
        Assert.Equal(new ServerTimings(1, 8.5, 11), result.Timings);
    }

    [Theory]
    [InlineData("""{"frame_index":3,"dropped":true}""", "Dropped")]
    [InlineData("""{"warning":"slow_down"}""", "Warning")]
    [InlineData("""{"error":"frame_too_large","detail":"6 MB"}""", "Error")]
    [InlineData("""{"frame_index":1}""", "Unknown")]
    [InlineData("""{"frame_index":"1","dropped":true}""", "Unknown")]
    [InlineData("""[1,2]""", "Unknown")]
    [InlineData("""not json""", "Unknown")]
    public void Parse_Message_ToldApartByItsKeys(string text, string kind)
    {
        Assert.Equal(kind, StreamMessage.Parse(text).GetType().Name);
    }

    [Fact]
    public void Parse_Error_CodeAndDetail()
    {
        Assert.Equal(new StreamMessage.Error("frame_too_large", "6 MB"), StreamMessage.Parse("""{"error":"frame_too_large","detail":"6 MB"}"""));
    }
}
