using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using StreamingApp.Core.Inference.Ocr;

namespace StreamingApp.Tests.Pipelines;

public sealed class PipelineServiceCollectionExtensionsTests
{
    private static IHost BuildHost(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([
            new("Models:Directory", TestPaths.ModelsDirectory),
            .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))]);
        builder.Services.AddLogging().AddInference().AddPipelines();
        return builder.Build();
    }

    [Fact]
    public async Task AddPipelines_HostStart_LoadsTheBuiltInPipelinesWithOneOcrReader()
    {
        using var host = BuildHost();

        await host.StartAsync();

        var catalog = host.Services.GetRequiredService<IPipelineCatalog>();
        Assert.True(catalog.TryGet("yolo", out _));
        Assert.True(catalog.TryGet("ocr", out var ocr));
        Assert.True(catalog.TryGet("yolo_ocr", out var yoloOcr));
        Assert.Equal(["objects", "text"], yoloOcr.Definition.Steps);
        Assert.Equal(new ImageSize(1920, 1920), ocr.DecodeFit);
        Assert.Same(host.Services.GetRequiredService<PaddleOcr>(), host.Services.GetRequiredService<PaddleOcr>());
        await host.StopAsync();
    }

    [Fact]
    public void AddInference_MaxConcurrentFramesConfigured_SchedulerHasThatManyCores()
    {
        using var host = BuildHost(("Inference:MaxConcurrentFrames", "3"));

        var scheduler = host.Services.GetRequiredService<InferenceScheduler>();

        Assert.Equal(3, scheduler.Cores);
    }

    [Fact]
    public async Task AddPipelines_BadPipelineFolder_FailsAtStart()
    {
        using var host = BuildHost(("Pipelines:Directory", Path.Combine(Path.GetTempPath(), "no-such-pipelines-folder")));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("no-such-pipelines-folder", ex.Message, StringComparison.Ordinal);
    }
}
