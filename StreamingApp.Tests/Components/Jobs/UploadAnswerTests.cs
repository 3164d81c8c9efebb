namespace StreamingApp.Tests.Components.Jobs;

public sealed class UploadAnswerTests
{
    [Theory]
    [InlineData("yolo", 1, "v1/video/submit?pipeline_id=yolo")]
    [InlineData("a b", 3, "v1/video/submit?pipeline_id=a%20b&frame_stride=3")]
    [InlineData("yolo", 0, "v1/video/submit?pipeline_id=yolo")]
    public void SubmitUrl_PipelineAndStride_StrideOnlyWhenItSkipsFrames(string pipeline, int stride, string url)
    {
        Assert.Equal(url, UploadAnswer.SubmitUrl(pipeline, stride));
    }

    [Fact]
    public void JobId_Accepted_TheNewJobsId()
    {
        Assert.Equal("abc", UploadAnswer.JobId(202, """{"job_id":"abc","status":"pending"}"""));
        Assert.Null(UploadAnswer.JobId(400, """{"job_id":"abc"}"""));
    }

    [Theory]
    [InlineData(400, """{"error":"invalid_video","detail":"The file is not an MP4 video."}""", "The file is not an MP4 video.")]
    [InlineData(413, "", "The video is larger than the server accepts.")]
    [InlineData(0, "", "The upload could not reach the server.")]
    [InlineData(502, "<html>bad gateway</html>", "The upload failed (HTTP 502).")]
    public void Error_Refused_TheServersSentenceOrOneForTheStatus(int status, string body, string message)
    {
        Assert.Equal(message, UploadAnswer.Error(status, body));
    }
}
