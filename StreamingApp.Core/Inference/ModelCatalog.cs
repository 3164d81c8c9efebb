using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace StreamingApp.Core.Inference;

/// <summary>
/// The models described by <c>models.json</c>. A file is handed out only after its SHA-256 matches one of the
/// hashes listed for it, so a corrupted download or a swapped file is refused before anything runs on it.
/// </summary>
public sealed partial class ModelCatalog
{
    public const string ManifestFile = "models.json";

    private readonly Dictionary<string, ModelEntry> _byName;
    private readonly ConcurrentDictionary<string, string> _verified = new(StringComparer.Ordinal);
    private readonly ILogger<ModelCatalog> _logger;

    public ModelCatalog(IOptions<ModelOptions> options, ILogger<ModelCatalog> logger)
    {
        _logger = logger;
        Directory = Path.GetFullPath(options.Value.Directory ?? FindDefaultDirectory());
        var manifestPath = Path.Combine(Directory, ManifestFile);
        ModelManifest? manifest;
        try
        {
            using var stream = File.OpenRead(manifestPath);
            manifest = JsonSerializer.Deserialize(stream, ModelManifestJson.Default.ModelManifest);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot read the model manifest {manifestPath}: {ex.Message}", ex);
        }

        Models = manifest?.Models ?? throw new InvalidOperationException($"{manifestPath} has no \"models\" list.");
        _byName = new Dictionary<string, ModelEntry>(StringComparer.Ordinal);
        foreach (var model in Models)
        {
            if (model.Sha256 is not { Count: > 0 } || !_byName.TryAdd(model.Name, model))
            {
                throw new InvalidOperationException($"{manifestPath}: model '{model.Name}' is listed twice or has no sha256.");
            }
        }
    }

    public string Directory { get; }

    public IReadOnlyList<ModelEntry> Models { get; }

    public ModelEntry Get(string name) =>
        _byName.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"No model '{name}' in {ManifestFile}; known: {string.Join(", ", _byName.Keys)}.");

    /// <summary>The model's full path, after checking its SHA-256 (once per process).</summary>
    /// <exception cref="ModelIntegrityException">The file is missing or its hash is not one of the expected ones.</exception>
    public string GetVerifiedPath(string name) => _verified.GetOrAdd(name, static (n, self) => self.Verify(self.Get(n)), this);

    /// <summary>A verified text file (e.g. labels), one entry per non-empty line.</summary>
    public IReadOnlyList<string> ReadVerifiedLines(string name)
    {
        var lines = new List<string>();
        foreach (var line in File.ReadLines(GetVerifiedPath(name)))
        {
            if (line.Length > 0)
            {
                lines.Add(line.TrimEnd('\r'));
            }
        }

        return lines;
    }

    /// <summary>The first <c>models/models.json</c> found walking up from the application's folder.</summary>
    public static string FindDefaultDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models");
            if (File.Exists(Path.Combine(candidate, ManifestFile)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"No models/{ManifestFile} above {AppContext.BaseDirectory}; set Models:Directory (env Models__Directory).");
    }

    private string Verify(ModelEntry model)
    {
        var path = Path.Combine(Directory, model.File);
        var expected = string.Join(" or ", model.Sha256);
        if (!File.Exists(path))
        {
            throw new ModelIntegrityException($"Model file {path} ('{model.Name}') is missing; expected SHA-256 {expected}. Run ./run.sh to fetch it.");
        }

        string actual;
        using (var stream = File.OpenRead(path))
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        foreach (var hash in model.Sha256)
        {
            if (string.Equals(hash, actual, StringComparison.OrdinalIgnoreCase))
            {
                LogVerified(model.Name, path, actual);
                return path;
            }
        }

        throw new ModelIntegrityException(
            $"Model file {path} ('{model.Name}') has SHA-256 {actual}, expected {expected}. Refusing to use it; delete it and run ./run.sh to fetch it again.");
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Model {Name} verified: {Path} (SHA-256 {Sha256})")]
    private partial void LogVerified(string name, string path, string sha256);
}
