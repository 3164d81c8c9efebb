using Microsoft.Extensions.Logging.Abstractions;

namespace StreamingApp.Tests.Inference;

public sealed class InferenceSessionProviderTests
{
    [Fact]
    public void GetSession_SameModelTwice_ReturnsOneSharedSession()
    {
        var catalog = new ModelCatalog(
            Options.Create(new ModelOptions { Directory = TestPaths.ModelsDirectory }), NullLogger<ModelCatalog>.Instance);
        using var provider = new InferenceSessionProvider(
            catalog, Options.Create(new InferenceOptions()), NullLogger<InferenceSessionProvider>.Instance);

        var first = provider.GetSession("yolox-nano");
        var second = provider.GetSession("yolox-nano");

        Assert.Same(first, second);
        Assert.Equal(["images"], first.InputNames);
        Assert.Equal(new[] { 1, 3, 416, 416 }, first.InputMetadata["images"].Dimensions);
        Assert.Equal(new[] { 1, 3549, 85 }, first.OutputMetadata["output"].Dimensions);
    }
}
