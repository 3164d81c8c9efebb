namespace StreamingApp.Core.Pipelines;

/// <summary>
/// A kind of step that pipeline files name in <c>"steps"</c> (e.g. <c>"objects"</c>). Register an implementation with
/// <see cref="PipelineServiceCollectionExtensions.AddPipelineStep{TFactory}"/>; the catalog finds it by <see cref="Name"/>.
/// </summary>
public interface IPipelineStepFactory
{
    string Name { get; }

    /// <summary>
    /// Builds the step for one pipeline, reading its parameters at load time (not per frame). Invalid values throw
    /// through <see cref="PipelineParameters"/>, which names the file.
    /// </summary>
    IPipelineStep Create(PipelineParameters parameters);
}

/// <summary>One stage of a pipeline, run on every frame. Thread-safe.</summary>
public interface IPipelineStep
{
    /// <summary>The smallest frame this step needs (see <see cref="IFramePipeline.DecodeFit"/>).</summary>
    ImageSize DecodeFit { get; }

    /// <summary>
    /// Adds what the step finds in <paramref name="frame"/> to <paramref name="output"/>, with its timings; model runs
    /// take their threads from <paramref name="slot"/>.
    /// </summary>
    void Run(BgrImage frame, InferenceSlot slot, PipelineOutput output);
}
