using Microsoft.Extensions.DependencyInjection;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Benchmarks.Inference;

/// <summary>
/// What an inference benchmark sets up: the app's inference services (as the app wires them, models loaded), its JPEG
/// decoder, and one JPEG, decoded once for the benchmarks that start from pixels — at full size, or as the frame path
/// decodes it for a pipeline when one is named.
/// </summary>
public sealed class InferenceBench : IDisposable
{
    private readonly ServiceProvider _services = InferenceServices.Build();
    private readonly IFramePipeline? _pipeline;

    public InferenceBench(byte[] jpeg, string? pipelineId = null)
    {
        Jpeg = jpeg;
        Decoder = Get<IJpegDecoder>();
        if (pipelineId is not null)
        {
            _pipeline = Get<IPipelineCatalog>().TryGet(pipelineId, out var pipeline)
                ? pipeline
                : throw new InvalidOperationException($"no {pipelineId} pipeline");
        }

        Frame = Decode();
    }

    public byte[] Jpeg { get; }

    public IJpegDecoder Decoder { get; }

    public IFramePipeline Pipeline => _pipeline ?? throw new InvalidOperationException("This bench was set up without a pipeline.");

    /// <summary>The JPEG decoded once at setup.</summary>
    public BgrImage Frame { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Decodes the JPEG again, as at setup; the caller disposes the image.</summary>
    public BgrImage Decode() => _pipeline is null ? Decoder.Decode(Jpeg) : Decoder.Decode(Jpeg, _pipeline.DecodeFit);

    public void Dispose()
    {
        Frame.Dispose();
        _services.Dispose();
    }
}
