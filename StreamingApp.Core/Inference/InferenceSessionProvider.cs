using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace StreamingApp.Core.Inference;

/// <summary>
/// One <see cref="InferenceSession"/> per model per process (sessions are thread-safe for <c>Run</c> and costly to
/// create), created on first use from a verified file with the configured threading.
/// </summary>
public sealed partial class InferenceSessionProvider : IDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly InferenceOptions _options;
    private readonly ILogger<InferenceSessionProvider> _logger;
    private readonly ConcurrentDictionary<string, Lazy<InferenceSession>> _sessions = new(StringComparer.Ordinal);

    public InferenceSessionProvider(ModelCatalog catalog, IOptions<InferenceOptions> options, ILogger<InferenceSessionProvider> logger)
    {
        _catalog = catalog;
        _options = options.Value;
        _logger = logger;
    }

    public InferenceSession GetSession(string modelName) =>
        _sessions.GetOrAdd(modelName, name => new Lazy<InferenceSession>(() => Create(name))).Value;

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            if (session.IsValueCreated)
            {
                session.Value.Dispose();
            }
        }
    }

    private InferenceSession Create(string modelName)
    {
        var path = _catalog.GetVerifiedPath(modelName);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = _options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var spinning = _options.AllowSpinning ? "1" : "0";
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning);
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", spinning);
        var session = new InferenceSession(path, options);
        LogCreated(modelName, _options.IntraOpThreads, _options.AllowSpinning);
        return session;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Inference session for {Model} created ({IntraOpThreads} intra-op threads, spinning {Spinning})")]
    private partial void LogCreated(string model, int intraOpThreads, bool spinning);
}
