namespace StreamingApp.Core.Inference;

/// <summary>A model file is missing or is not one of the files <c>models.json</c> vouches for.</summary>
public sealed class ModelIntegrityException(string message) : Exception(message);
