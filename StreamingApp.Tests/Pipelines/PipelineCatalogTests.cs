using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using StreamingApp.Core.Pipelines.Steps;

namespace StreamingApp.Tests.Pipelines;

[Collection(ModelsCollection.Name)]
public sealed class PipelineCatalogTests(Models models) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipelines-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private PipelineCatalog Load(string? folder = null) =>
        new(Options.Create(new PipelineOptions { Directory = folder ?? _folder }), models.Steps, NullLogger<PipelineCatalog>.Instance);

    private string Write(string file, string json)
    {
        var path = Path.Combine(_folder, file);
        File.WriteAllText(path, json);
        return path;
    }

    private static string Pipeline(string id, string steps = "[\"objects\"]", string parameters = "{}") =>
        $$"""{"id":"{{id}}","name":"N {{id}}","description":"D","steps":{{steps}},"parameters":{{parameters}}}""";

    [Fact]
    public void Constructor_RepositoryPipelinesFolder_LoadsYoloWithObjectsStep()
    {
        var catalog = Load(Path.Combine(TestPaths.RepoRoot, "StreamingApp", "pipelines"));

        Assert.Contains(catalog.Definitions, d => d.Id == "yolo" && d.Steps.SequenceEqual(["objects"]));
        Assert.True(catalog.TryGet("yolo", out var yolo));
        Assert.Equal(new ImageSize(416, 416), yolo.DecodeFit);
    }

    [Fact]
    public void Constructor_DefaultFolder_IsPipelinesNextToTheApp()
    {
        var catalog = new PipelineCatalog(Options.Create(new PipelineOptions()), models.Steps, NullLogger<PipelineCatalog>.Instance);

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "pipelines"), catalog.Directory);
        Assert.True(catalog.TryGet("yolo", out _));
    }

    [Fact]
    public void DefaultId_Unset_IsFirstDefinitionByFileName()
    {
        Write("b.json", Pipeline("b"));
        Write("a.json", Pipeline("a"));

        Assert.Equal("a", Load().DefaultId);
    }

    [Fact]
    public void Constructor_DefaultNotDefined_ThrowsNamingIt()
    {
        Write("a.json", Pipeline("a"));
        var options = Options.Create(new PipelineOptions { Directory = _folder, Default = "missing" });

        var error = Assert.Throws<InvalidOperationException>(() => new PipelineCatalog(options, models.Steps, NullLogger<PipelineCatalog>.Instance));

        Assert.Contains("Pipelines:Default names 'missing'", error.Message);
    }

    [Fact]
    public void TryGet_UnknownId_ReturnsFalse()
    {
        Write("a.json", Pipeline("a"));

        var found = Load().TryGet("nope", out var pipeline);

        Assert.False(found);
        Assert.Null(pipeline);
    }

    [Fact]
    public void Constructor_UnknownStep_ThrowsNamingFileStepAndKnownSteps()
    {
        var file = Write("bad.json", Pipeline("bad", steps: "[\"objects\",\"faces\"]"));

        var ex = Assert.Throws<PipelineDefinitionException>(() => Load());

        Assert.StartsWith(file, ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown step 'faces'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("objects", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateId_ThrowsNamingBothFiles()
    {
        var first = Write("a.json", Pipeline("same"));
        var second = Write("b.json", Pipeline("same"));

        var ex = Assert.Throws<PipelineDefinitionException>(() => Load());

        Assert.StartsWith(second, ex.Message, StringComparison.Ordinal);
        Assert.Contains(first, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'same'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadJson_ThrowsNamingFile()
    {
        var file = Write("broken.json", "{\"id\": \"x\", ");

        var ex = Assert.Throws<PipelineDefinitionException>(() => Load());

        Assert.Equal(file, ex.File);
        Assert.Contains("invalid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingSteps_Throws()
    {
        Write("nosteps.json", """{"id":"x","name":"X","description":"D"}""");

        var ex = Assert.Throws<PipelineDefinitionException>(() => Load());

        Assert.Contains("\"steps\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidId_Throws()
    {
        Write("upper.json", Pipeline("Not Valid"));

        var ex = Assert.Throws<PipelineDefinitionException>(() => Load());

        Assert.Contains("\"id\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownParameter_ThrowsNamingIt()
    {
        Write("typo.json", Pipeline("typo", parameters: """{"score_treshold":0.5}"""));

        var ex = Assert.Throws<PipelineDefinitionException>(() => Load());

        Assert.Contains("'score_treshold'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ParameterOutOfRange_ThrowsNamingIt()
    {
        Write("range.json", Pipeline("range", parameters: """{"score_threshold":7}"""));

        var ex = Assert.Throws<PipelineDefinitionException>(() => Load());

        Assert.Contains("'score_threshold'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyFolder_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Load());

        Assert.Contains(_folder, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_StepFactory_ReceivesThePipelineParameters()
    {
        Write("custom.json", Pipeline("custom", steps: "[\"custom\"]", parameters: """{"level":0.25}"""));
        float seen = 0;
        var factory = new Mock<IPipelineStepFactory>();
        factory.SetupGet(f => f.Name).Returns("custom");
        factory.Setup(f => f.Create(It.IsAny<PipelineParameters>()))
            .Returns((PipelineParameters p) =>
            {
                seen = p.GetSingle("level", 1f, 0f, 1f);
                return Mock.Of<IPipelineStep>();
            });

        var catalog = new PipelineCatalog(Options.Create(new PipelineOptions { Directory = _folder }), [factory.Object], NullLogger<PipelineCatalog>.Instance);

        Assert.Equal(0.25f, seen);
        Assert.True(catalog.TryGet("custom", out _));
    }
}
