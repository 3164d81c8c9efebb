using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StreamingApp.Core.Inference.Ocr;
using StreamingApp.Core.Inference.Yolox;

namespace StreamingApp.Core.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// JPEG decoding (section <c>Imaging</c>), the verified model catalog (section <c>Models</c>), one ONNX Runtime
    /// session per model and thread count and the process-wide <see cref="InferenceScheduler"/> (section <c>Inference</c>), the YOLOX
    /// detector and the PaddleOCR reader (section <c>Ocr</c>), all singletons.
    /// </summary>
    public static IServiceCollection AddInference(this IServiceCollection services)
    {
        services.AddOptions<ImagingOptions>().BindConfiguration(ImagingOptions.Section)
            .Validate(o => o.MaxPixels > 0, "Imaging:MaxPixels must be positive.")
            .Validate(o => o.MaxScanPixels >= 3 * o.MaxPixels, "Imaging:MaxScanPixels must be at least 3 × Imaging:MaxPixels (a baseline frame has up to 3 scans).")
            .ValidateOnStart();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section)
            .Validate(
                o => o.Directory is null || File.Exists(Path.Combine(o.Directory, ModelCatalog.ManifestFile)),
                $"Models:Directory must be a folder containing {ModelCatalog.ManifestFile}.")
            .ValidateOnStart();
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section)
            .Validate(o => o.MaxThreadsPerRun is >= 1 and <= 64, "Inference:MaxThreadsPerRun must be from 1 to 64.")
            .Validate(o => o.MaxConcurrentFrames is >= 1 and <= 256, "Inference:MaxConcurrentFrames must be from 1 to 256.")
            .ValidateOnStart();
        // One scheduler for the whole process: live streams and upload jobs share its slots.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new InferenceScheduler(
            sp.GetRequiredService<IOptions<InferenceOptions>>().Value.MaxConcurrentFrames, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IJpegDecoder, TurboJpegDecoder>();
        services.TryAddSingleton<ModelCatalog>();
        services.TryAddSingleton<InferenceSessionProvider>();
        services.AddOptions<PaddleOcrOptions>().BindConfiguration(PaddleOcrOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<YoloxDetector>();
        services.TryAddSingleton<PaddleOcr>();
        return services;
    }
}
