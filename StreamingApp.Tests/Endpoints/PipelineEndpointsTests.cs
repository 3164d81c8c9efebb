using System.Net.Http.Json;
using StreamingApp.Tests.Jobs;

namespace StreamingApp.Tests.Endpoints;

public sealed class PipelineEndpointsTests(StreamingAppFactory factory) : IClassFixture<StreamingAppFactory>
{
    [Fact]
    public async Task List_Get_ReturnsIdNameAndDescriptionOfEachPipeline()
    {
        var body = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/v1/pipelines/list");

        var yolo = body.GetProperty("pipelines").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "yolo");
        Assert.Equal("Objects (YOLOX-nano)", yolo.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(yolo.GetProperty("description").GetString()));
        Assert.Equal(["id", "name", "description"], yolo.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Info_KnownId_ReturnsTheDefinition()
    {
        var body = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/v1/pipelines/yolo/info");

        Assert.Equal("yolo", body.GetProperty("id").GetString());
        Assert.Equal(["objects"], body.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0.30, body.GetProperty("parameters").GetProperty("score_threshold").GetDouble(), 3);
        Assert.Equal(0.45, body.GetProperty("parameters").GetProperty("nms_threshold").GetDouble(), 3);
    }

    [Fact]
    public async Task Info_UnknownId_Returns404ErrorNamingTheId()
    {
        using var response = await factory.CreateClient().GetAsync("/v1/pipelines/nope/info");

        var detail = await JobTestClient.AssertErrorAsync(response, HttpStatusCode.NotFound, "invalid_pipeline");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'nope'", detail, StringComparison.Ordinal);
    }
}
