namespace StreamingApp.Tests.TestSupport;

/// <summary>Where the repository's models and the shared test media are, found from the test assembly.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ModelsDirectory => Path.Combine(RepoRoot, "models");

    /// <summary>COCO val2017 photos in ../shared/media/coco beside the repository.</summary>
    public static string CocoDirectory => Path.Combine(RepoRoot, "..", "shared", "media", "coco");

    public static string CocoImage(string name) => Path.Combine(CocoDirectory, name);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamingApp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StreamingApp.sln not found above " + AppContext.BaseDirectory);
    }
}
