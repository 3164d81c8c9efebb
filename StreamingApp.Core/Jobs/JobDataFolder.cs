namespace StreamingApp.Core.Jobs;

/// <summary>
/// The layout of the data folder: <c>jobs.db</c> (SQLite store), <c>uploads/&lt;job_id&gt;.mp4</c>, and <c>tmp/</c> for
/// uploads in flight (same volume as <c>uploads/</c>, so moving a finished upload into place is atomic). With several
/// instances the folder is one shared volume.
/// </summary>
public sealed class JobDataFolder
{
    private const string UploadExtension = ".mp4";

    public JobDataFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(UploadsDirectory);
        Directory.CreateDirectory(TempDirectory);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "jobs.db");

    public string UploadsDirectory => Path.Combine(Root, "uploads");

    public string TempDirectory => Path.Combine(Root, "tmp");

    /// <summary>The stored upload of a job. Only ever built from a parsed GUID, so it cannot leave the folder.</summary>
    public string UploadPath(Guid jobId) => Path.Combine(UploadsDirectory, jobId.ToString("D") + UploadExtension);

    public string TempUploadPath(Guid jobId) => Path.Combine(TempDirectory, jobId.ToString("D") + ".upload");

    /// <summary>Deletes a job's upload; true when there was one.</summary>
    public bool DeleteUpload(Guid jobId)
    {
        var path = UploadPath(jobId);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>The job ids of the uploads last written before <paramref name="before"/>.</summary>
    public IEnumerable<Guid> UploadsOlderThan(DateTimeOffset before)
    {
        foreach (var file in Directory.EnumerateFiles(UploadsDirectory, "*" + UploadExtension))
        {
            if (Guid.TryParseExact(Path.GetFileNameWithoutExtension(file), "D", out var id) && File.GetLastWriteTimeUtc(file) < before.UtcDateTime)
            {
                yield return id;
            }
        }
    }

    /// <summary>Removes uploads that never completed (the process died while receiving them) and are older than <paramref name="before"/>.</summary>
    public int DeleteStaleTempFiles(DateTimeOffset before)
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(TempDirectory, "*.upload"))
        {
            if (File.GetLastWriteTimeUtc(file) < before.UtcDateTime)
            {
                File.Delete(file);
                count++;
            }
        }

        return count;
    }
}
