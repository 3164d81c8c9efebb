using System.Text.Json.Serialization;

namespace StreamingApp.Core.Jobs;

/// <summary>How a job's summary is persisted (snake_case, like the API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JobSummary))]
public sealed partial class JobsJson : JsonSerializerContext;
