using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using StreamingApp.Components.Jobs;
using StreamingApp.Core.Jobs;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Tests.Components;

public sealed class JobComponentsTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(42, "42")]
    [InlineData(150, "100")]
    [InlineData(-3, "0")]
    public async Task ProgressBar_Value_ClampedIntoAriaValueNow(int value, string expected)
    {
        var html = await RenderAsync<ProgressBar>(new() { [nameof(ProgressBar.Value)] = value });

        Assert.Contains("role=\"progressbar\"", html, StringComparison.Ordinal);
        Assert.Contains($"aria-valuenow=\"{expected}\"", html, StringComparison.Ordinal);
        Assert.Contains($"width: {expected}%", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobList_Jobs_OneRowEachWithStatusProgressAndLink()
    {
        JobRecord[] jobs =
        [
            Job("11111111-1111-1111-1111-111111111111", JobStatus.Running, 37, null),
            Job("22222222-2222-2222-2222-222222222222", JobStatus.Failed, 0, "The video could not be decoded: <bad>"),
        ];

        var html = await RenderAsync<JobList>(new() { [nameof(JobList.Jobs)] = jobs, [nameof(JobList.Count)] = 2 });

        Assert.Equal(2, Count(html, "data-testid=\"job-row\""));
        Assert.Contains("data-status=\"running\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-valuenow=\"37\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"jobs/11111111-1111-1111-1111-111111111111\"", html, StringComparison.Ordinal);
        Assert.Contains("decoded: &lt;bad&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("jobs-more", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobList_NoJobs_SaysSo()
    {
        var html = await RenderAsync<JobList>(new() { [nameof(JobList.Jobs)] = Array.Empty<JobRecord>() });

        Assert.Contains("No jobs yet", html, StringComparison.Ordinal);
        Assert.DoesNotContain("job-row", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VideoUpload_Catalog_LabelledPipelineChoiceWithDefaultFileInputAndUploadProgress()
    {
        var catalog = new Mock<IPipelineCatalog>();
        catalog.Setup(c => c.Definitions).Returns([new PipelineDefinition("ocr", "Text", "OCR", [], null), new PipelineDefinition("yolo", "Objects", "YOLOX", [], null)]);
        catalog.Setup(c => c.DefaultId).Returns("yolo");

        var html = await RenderAsync<VideoUpload>([], services => services.AddSingleton(catalog.Object));

        Assert.Contains("<span>Pipeline</span>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"yolo\" title=\"YOLOX\" selected", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<option value=\"ocr\" title=\"OCR\" selected", html, StringComparison.Ordinal);
        Assert.Contains("type=\"file\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Upload progress\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobSummaryView_Summary_FramesDetectionsAndLabelsMostFirst()
    {
        var summary = new JobSummary(8, 5, new Dictionary<string, int> { ["cat"] = 1, ["dog"] = 4 });

        var html = await RenderAsync<JobSummaryView>(new() { [nameof(JobSummaryView.Summary)] = summary });

        Assert.Contains("data-testid=\"summary-frames\">8<", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"summary-detections\">5<", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("data-label=\"dog\"", StringComparison.Ordinal) < html.IndexOf("data-label=\"cat\"", StringComparison.Ordinal));
    }

    private static JobRecord Job(string id, JobStatus status, int progress, string? error) =>
        new(id, "yolo", status, progress, 1, null, "clip.mp4", 100, Created, Created, error, 10, 3, 1, null, null);

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters, Action<IServiceCollection>? configure = null)
        where TComponent : IComponent
    {
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        configure?.Invoke(services);
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }
}
