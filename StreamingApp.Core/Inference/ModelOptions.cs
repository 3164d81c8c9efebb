namespace StreamingApp.Core.Inference;

/// <summary>Where the model files and <c>models.json</c> are (configuration section <c>Models</c>).</summary>
public sealed class ModelOptions
{
    public const string Section = "Models";

    /// <summary>
    /// The folder holding <c>models.json</c> and the files it names. Unset: the first <c>models/models.json</c>
    /// found walking up from the application's folder (the repository's <c>models/</c> when run from a build).
    /// </summary>
    public string? Directory { get; set; }
}
