using Microsoft.AspNetCore.Http.HttpResults;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Endpoints;

/// <summary>A pipeline as listed by <c>GET /v1/pipelines/list</c>.</summary>
public sealed record PipelineSummary(string Id, string Name, string Description);

/// <summary>The body of <c>GET /v1/pipelines/list</c>.</summary>
public sealed record PipelineList(IReadOnlyList<PipelineSummary> Pipelines);

public static class PipelineEndpoints
{
    /// <summary><c>GET /v1/pipelines/list</c> and <c>GET /v1/pipelines/{id}/info</c>.</summary>
    public static IEndpointRouteBuilder MapPipelineEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/pipelines").WithTags("Pipelines");
        group.MapGet("/list", List);
        group.MapGet("/{id}/info", Info);
        return endpoints;
    }

    internal static Ok<PipelineList> List(IPipelineCatalog catalog)
    {
        var definitions = catalog.Definitions;
        var summaries = new PipelineSummary[definitions.Count];
        for (var i = 0; i < summaries.Length; i++)
        {
            summaries[i] = new PipelineSummary(definitions[i].Id, definitions[i].Name, definitions[i].Description);
        }

        return TypedResults.Ok(new PipelineList(summaries));
    }

    internal static Results<Ok<PipelineDefinition>, JsonHttpResult<ApiError>> Info(string id, IPipelineCatalog catalog) =>
        catalog.TryGet(id, out var pipeline)
            ? TypedResults.Ok(pipeline.Definition)
            : ApiError.Result(
                StatusCodes.Status404NotFound,
                "invalid_pipeline",
                $"There is no pipeline '{id}'. GET /v1/pipelines/list lists the available ones.");
}
