using System.Net.Http.Headers;
using System.Text;
using static StreamingApp.Tests.Jobs.JobTestClient;

namespace StreamingApp.Tests.Jobs;

/// <summary>Every limit a submit meets, with real ffprobe and a real data folder: a clear 400/413 and nothing kept.</summary>
public sealed class JobSubmitLimitsTests : IDisposable
{
    private static readonly byte[] Clip = File.ReadAllBytes(TestVideo.ClipPath);
    private readonly JobsAppFactory _factory;

    public JobSubmitLimitsTests()
    {
        _factory = new JobsAppFactory();
    }

    public void Dispose()
    {
        _factory.Dispose();
    }

    [Fact]
    public async Task Submit_7680x4320Video_400InvalidVideoNamingThePixelLimit()
    {
        var detail = await SubmitRefusedAsync(File.ReadAllBytes(TestVideo.Pattern(7680, 4320, frames: 1)), "invalid_video");

        Assert.Equal("The video is 7680x4320 (33177600 pixels), over the limit of 8294400 pixels.", detail);
    }

    [Fact]
    public async Task Submit_LongerThanMaxDuration_400InvalidVideoNamingTheDurationLimit()
    {
        _factory.Settings["Jobs:MaxDurationSeconds"] = "5";

        var detail = await SubmitRefusedAsync(Clip, "invalid_video");

        Assert.Equal("The video lasts 8 seconds, over the limit of 5 seconds.", detail);
    }

    [Fact]
    public async Task Submit_Mp4WithoutAVideoStream_400InvalidVideo()
    {
        var detail = await SubmitRefusedAsync(File.ReadAllBytes(TestVideo.AudioOnly()), "invalid_video");

        Assert.Equal("The file contains no video stream.", detail);
    }

    [Fact]
    public async Task Submit_MaxFramesOverTheCap_400InvalidParameter()
    {
        var detail = await SubmitRefusedAsync(Clip, "invalid_parameter", ("max_frames", "100001"));

        Assert.Equal("'max_frames' must be a whole number from 1 to 100000.", detail);
    }

    [Fact]
    public async Task Submit_MoreFramesThanTheCap_400UnlessMaxFramesOrStrideBringsThemUnder()
    {
        _factory.Settings["Jobs:MaxFrames"] = "10";

        var detail = await SubmitRefusedAsync(Clip, "invalid_parameter");
        using var client = _factory.CreateClient();
        await JobTestClient.SubmitAsync(client, Clip, "pipeline_id=gated", ("max_frames", "10"));
        await JobTestClient.SubmitAsync(client, Clip, "pipeline_id=gated", ("frame_stride", "4"));

        Assert.Equal("The video has 40 frames to process at frame_stride 1, over the limit of 10: set a larger 'frame_stride' or a 'max_frames' of at most 10.", detail);
    }

    [Fact]
    public async Task Submit_MorePartsThanTheCap_400InvalidUploadNothingStored()
    {
        var fields = Enumerable.Range(0, 8).Select(i => ("note" + i, "x")).ToArray();

        var detail = await SubmitRefusedAsync(Clip, "invalid_upload", fields);

        Assert.StartsWith("The upload has more than 8 parts", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_TwoFileParts_400InvalidUpload()
    {
        using var form = JobTestClient.Form(Clip);
        form.Add(new ByteArrayContent(Clip), "file", "second.mp4");

        using var response = await _factory.CreateClient().PostAsync("/v1/video/submit?pipeline_id=fake", form);

        Assert.Equal("The upload has more than one part named 'file'.", await AssertRefusedAsync(response, "invalid_upload"));
    }

    [Fact]
    public async Task Submit_FieldLongerThan64Characters_400InvalidParameterNotTruncated()
    {
        var detail = await SubmitRefusedAsync(Clip, "invalid_parameter", ("frame_stride", "2" + new string(' ', 100)));

        Assert.Equal("A form field is longer than 64 characters.", detail);
    }

    [Fact]
    public async Task Submit_PartHeadersOverTheLimit_400InvalidUpload()
    {
        var body = Multipart("b", $"Content-Disposition: form-data; name=\"file\"; filename=\"{new string('a', 5000)}.mp4\"", Clip);

        using var response = await PostRawAsync(body, "multipart/form-data; boundary=b");

        await AssertRefusedAsync(response, "invalid_upload");
    }

    [Fact]
    public async Task Submit_BodyCutBeforeTheClosingBoundary_400InvalidUploadNothingStored()
    {
        var body = Multipart("b", "Content-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"", Clip);

        using var response = await PostRawAsync(body[..^20], "multipart/form-data; boundary=b");

        await AssertRefusedAsync(response, "invalid_upload");
    }

    [Fact]
    public async Task Submit_BoundaryLongerThan70_400()
    {
        var boundary = new string('b', 71);
        var body = Multipart(boundary, "Content-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"", Clip);

        using var response = await PostRawAsync(body, "multipart/form-data; boundary=" + boundary);

        await AssertRefusedAsync(response, "missing_file");
    }

    /// <summary>Submits to the gated pipeline and asserts the refusal (<see cref="AssertRefusedAsync"/>); returns its detail.</summary>
    private async Task<string> SubmitRefusedAsync(byte[] file, string code, params (string Name, string Value)[] fields)
    {
        using var client = _factory.CreateClient();
        using var form = JobTestClient.Form(file, "clip.mp4", fields);
        using var response = await client.PostAsync("/v1/video/submit?pipeline_id=gated", form);
        return await AssertRefusedAsync(response, code);
    }

    /// <summary>A refused submit: 400 with the error code, and nothing kept in the data folder. Returns the detail.</summary>
    private async Task<string> AssertRefusedAsync(HttpResponseMessage response, string code)
    {
        var detail = await AssertErrorAsync(response, HttpStatusCode.BadRequest, code);
        JobTestClient.AssertNothingStored(_factory.DataDirectory);
        return detail;
    }

    private async Task<HttpResponseMessage> PostRawAsync(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await _factory.CreateClient().PostAsync("/v1/video/submit?pipeline_id=fake", content);
    }

    private static byte[] Multipart(string boundary, string disposition, byte[] file) =>
    [
        .. Encoding.ASCII.GetBytes($"--{boundary}\r\n{disposition}\r\nContent-Type: video/mp4\r\n\r\n"),
        .. file,
        .. Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"),
    ];
}
