using System.Text.Json.Serialization;

namespace StreamingApp.Core.Jobs;

/// <summary>A job's summary as it is stored and as the results API shows it: snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JobSummary))]
public sealed partial class JobsJson : JsonSerializerContext;
