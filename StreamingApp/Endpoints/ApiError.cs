using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace StreamingApp.Endpoints;

/// <summary>
/// Every REST API error: a stable code for programs, a sentence for people — the same shape as the stream's
/// error messages, so a client handles both alike.
/// </summary>
public sealed record ApiError(string Error, string Detail)
{
    public static JsonHttpResult<ApiError> Result(int statusCode, string error, string detail) =>
        TypedResults.Json(new ApiError(error, detail), ApiErrorJson.Default.ApiError, statusCode: statusCode);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ApiError))]
internal sealed partial class ApiErrorJson : JsonSerializerContext;
