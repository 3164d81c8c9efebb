using Microsoft.Extensions.Logging.Abstractions;

namespace StreamingApp.Tests.Inference;

public sealed class ModelCatalogTests : IDisposable
{
    private const string OfficialHash = "c789161ed43c8269fcd4e67c67eeeb4e80c622da2eb296a20bc6007bd18a0b7d";
    private const string SharedHash = "695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14";

    private readonly string _temp = Directory.CreateTempSubdirectory("models-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static ModelCatalog Catalog(string? directory) =>
        new(Options.Create(new ModelOptions { Directory = directory }), NullLogger<ModelCatalog>.Instance);

    private void CopyToTemp(params string[] files)
    {
        foreach (var file in files)
        {
            File.Copy(Path.Combine(TestPaths.ModelsDirectory, file), Path.Combine(_temp, file));
        }
    }

    [Fact]
    public void Models_RepositoryModelsJson_DescribesYoloxWithInputSizeLicenceAndHashes()
    {
        var catalog = Catalog(TestPaths.ModelsDirectory);

        var yolox = catalog.Get("yolox-nano");

        Assert.Equal("yolox_nano.onnx", yolox.File);
        Assert.Equal([416, 416], yolox.InputSize);
        Assert.Equal("Apache-2.0", yolox.Licence);
        Assert.Equal([SharedHash, OfficialHash], yolox.Sha256);
        Assert.Equal(5, catalog.Models.Count);
    }

    [Fact]
    public void GetVerifiedPath_IntactModel_ReturnsItsPath()
    {
        var catalog = Catalog(TestPaths.ModelsDirectory);

        var path = catalog.GetVerifiedPath("yolox-nano");

        Assert.Equal(Path.Combine(TestPaths.ModelsDirectory, "yolox_nano.onnx"), path);
    }

    [Fact]
    public void GetVerifiedPath_TamperedModel_RefusesNamingFileAndExpectedHashes()
    {
        CopyToTemp("models.json", "yolox_nano.onnx");
        var path = Path.Combine(_temp, "yolox_nano.onnx");
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        var catalog = Catalog(_temp);

        var ex = Assert.Throws<ModelIntegrityException>(() => catalog.GetVerifiedPath("yolox-nano"));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(SharedHash, ex.Message, StringComparison.Ordinal);
        Assert.Contains(OfficialHash, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetVerifiedPath_MissingFile_RefusesNamingFile()
    {
        CopyToTemp("models.json");
        var catalog = Catalog(_temp);

        var ex = Assert.Throws<ModelIntegrityException>(() => catalog.GetVerifiedPath("coco-labels"));

        Assert.Contains(Path.Combine(_temp, "coco80.txt"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingKnownNames()
    {
        var catalog = Catalog(TestPaths.ModelsDirectory);

        var ex = Assert.Throws<KeyNotFoundException>(() => catalog.Get("resnet"));

        Assert.Contains("yolox-nano", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadVerifiedLines_CocoLabels_ReturnsEightyNames()
    {
        var catalog = Catalog(TestPaths.ModelsDirectory);

        var labels = catalog.ReadVerifiedLines("coco-labels");

        Assert.Equal(80, labels.Count);
        Assert.Equal("person", labels[0]);
        Assert.Contains("tv", labels);
    }

    [Fact]
    public void Constructor_DirectoryNotSet_FindsRepositoryModelsAboveTheApp()
    {
        var catalog = Catalog(directory: null);

        Assert.Equal(TestPaths.ModelsDirectory, catalog.Directory);
    }
}
