using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;
using StreamingApp.Tests.TestSupport;

namespace StreamingApp.Tests.Jobs;

/// <summary>
/// The real app (real inference scheduler, ffmpeg, SQLite) with its jobs feature on a given data folder, and
/// test pipelines whose timing the test controls instead of the real catalog: "fake" (one fixed detection per frame, after
/// <see cref="FrameDelay"/>) and "gated" (waits for <see cref="Gate"/> on every frame).
/// </summary>
public sealed class JobsAppFactory(string dataDirectory, long? maxUploadBytes = null) : StreamingAppFactory
{
    public TimeSpan FrameDelay { get; set; }

    public ManualResetEventSlim Gate { get; } = new(false);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:DataDirectory", dataDirectory);
        builder.UseSetting("Jobs:PollInterval", "00:00:00.200");
        if (maxUploadBytes is { } max)
        {
            builder.UseSetting("Jobs:MaxUploadBytes", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IPipelineCatalog>(new Catalog(
                new FakePipeline("fake", () => Thread.Sleep(FrameDelay)),
                new FakePipeline("gated", () => Gate.Wait(TimeSpan.FromSeconds(30)))));
        });
    }

    protected override void Dispose(bool disposing)
    {
        Gate.Set();
        base.Dispose(disposing);
        if (disposing)
        {
            Gate.Dispose();
        }
    }

    private sealed class Catalog(params IFramePipeline[] pipelines) : IPipelineCatalog
    {
        public IReadOnlyList<PipelineDefinition> Definitions => pipelines.Select(p => p.Definition).ToList();

        public string DefaultId => pipelines[0].Definition.Id;

        public bool TryGet(string id, [NotNullWhen(true)] out IFramePipeline? pipeline)
        {
            pipeline = pipelines.FirstOrDefault(p => p.Definition.Id == id);
            return pipeline is not null;
        }
    }

    private sealed class FakePipeline(string id, Action perFrame) : IFramePipeline
    {
        public PipelineDefinition Definition { get; } = new(id, id, "test pipeline", [], null);

        public FrameResult Process(BgrImage frame, InferenceSlot slot, out StageTimings timings)
        {
            perFrame();
            timings = default;
            return new FrameResult([new Detection(0.25f, 0.25f, 0.5f, 0.5f, "thing", 0.9f)], null);
        }
    }
}
