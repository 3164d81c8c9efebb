using Microsoft.AspNetCore.Components;

namespace StreamingApp.Tests.Components.Jobs;

/// <summary>The upload form with the JS fake of js/upload.js: the file itself never reaches .NET.</summary>
public sealed class VideoUploadTests : UiTests
{
    private readonly BunitJSModuleInterop _uploader;

    public VideoUploadTests()
    {
        _uploader = Ui.JSInterop.SetupModule("./js/upload.js").SetupModule("createUploader", _ => true);
        _uploader.SetupVoid("clear", _ => true).SetVoidResult();
        _uploader.SetupVoid("dispose", _ => true).SetVoidResult();
    }

    private IRenderedComponent<VideoUpload> RenderChosen(string file = @"C:\fakepath\clip.mp4")
    {
        var cut = Ui.Render<VideoUpload>();
        cut.Find("input[type=file]").Change(file);
        return cut;
    }

    private void UploadAccepted(bool accepted = true) => _uploader.Setup<bool>("upload", _ => true).SetResult(accepted);

    [Fact]
    public void Render_Catalog_LabelledPipelineChoiceWithTheDefaultAFileInputAndNoProgressYet()
    {
        var cut = Ui.Render<VideoUpload>();

        Assert.Equal("yolo", cut.Find(".pipeline-selector select").GetAttribute("value"));
        Assert.Equal("video/mp4,.mp4", cut.Find("input[type=file]").GetAttribute("accept"));
        Assert.Empty(cut.FindAll("[role=progressbar]"));
        Assert.False(cut.Find("button").HasAttribute("disabled"));
        Assert.False(cut.Find("input[type=file]").HasAttribute("disabled"));
    }

    [Fact]
    public void ChooseFile_ShowsItsName()
    {
        var cut = RenderChosen();

        Assert.Equal("clip.mp4", cut.Find(".file-name").TextContent);
    }

    [Fact]
    public void Upload_ChosenPipelineAndStride_TheModuleSendsTheFileToTheSubmitUrl()
    {
        UploadAccepted();
        var cut = RenderChosen();
        cut.Find(".pipeline-selector select").Change("ocr");
        cut.Find("input[type=number]").Change("5");

        cut.Find("button").Click();

        Assert.Equal(["v1/video/submit?pipeline_id=ocr&frame_stride=5"], Assert.Single(_uploader.Invocations["upload"]).Arguments);
        Assert.Equal("0", cut.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
        Assert.True(cut.Find("button").HasAttribute("disabled"));
    }

    [Fact]
    public void Upload_ProgressThenAccepted_BarFollowsThenTheJobIsNamedAndTheFormCleared()
    {
        UploadAccepted();
        var cut = RenderChosen();
        cut.Find("button").Click();

        cut.InvokeAsync(() => cut.Instance.OnUploadProgress(42));
        Assert.Equal("42", cut.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
        cut.InvokeAsync(() => cut.Instance.OnUploadFinished(202, """{"job_id":"j-1","status":"pending"}"""));

        Assert.Equal("100", cut.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
        Assert.Equal("Uploaded; job j-1 is queued.", cut.Find(".upload-message").TextContent);
        Assert.Empty(cut.Find(".file-name").TextContent);
        Assert.Single(_uploader.Invocations["clear"]);
        Assert.False(cut.Find("button").HasAttribute("disabled"));
    }

    [Fact]
    public void Upload_Refused_TheServersReasonInAnAlert()
    {
        UploadAccepted();
        var cut = RenderChosen(@"C:\fakepath\photo.jpg");
        cut.Find("button").Click();

        cut.InvokeAsync(() => cut.Instance.OnUploadFinished(400, """{"error":"invalid_video","detail":"The file is not an MP4 video (no 'ftyp' box at its start)."}"""));

        Assert.Equal("The file is not an MP4 video (no 'ftyp' box at its start).", cut.Find("[role=alert]").TextContent);
        Assert.Empty(cut.FindAll("[role=progressbar]"));
    }

    [Fact]
    public void Upload_NoFileChosen_AsksForOne()
    {
        UploadAccepted(false);
        var cut = Ui.Render<VideoUpload>();

        cut.Find("button").Click();

        Assert.Equal("Choose an MP4 video first.", cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public async Task Dispose_TheUploaderIsDisposedWithThePage()
    {
        Ui.Render<VideoUpload>();

        await Ui.DisposeComponentsAsync();

        Assert.Single(_uploader.Invocations["dispose"]);
    }
}
