using System.Net.Http.Json;

namespace StreamingApp.Tests.Endpoints;

public sealed class PipelineEndpointsTests(StreamingAppFactory factory) : IClassFixture<StreamingAppFactory>
{
    [Fact]
    public async Task List_Get_ReturnsIdNameAndDescriptionOfEachPipeline()
    {
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/v1/pipelines/list");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var yolo = body.GetProperty("pipelines").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "yolo");
        Assert.Equal("Objects (YOLOX-nano)", yolo.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(yolo.GetProperty("description").GetString()));
        Assert.Equal(["id", "name", "description"], yolo.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Info_KnownId_ReturnsTheDefinition()
    {
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/v1/pipelines/yolo/info");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("yolo", body.GetProperty("id").GetString());
        Assert.Equal(["objects"], body.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(0.30, body.GetProperty("parameters").GetProperty("score_threshold").GetDouble(), 3);
        Assert.Equal(0.45, body.GetProperty("parameters").GetProperty("nms_threshold").GetDouble(), 3);
    }

    [Fact]
    public async Task Info_UnknownId_Returns404ErrorNamingTheId()
    {
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/v1/pipelines/nope/info");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_pipeline", body.GetProperty("error").GetString());
        Assert.Contains("'nope'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
