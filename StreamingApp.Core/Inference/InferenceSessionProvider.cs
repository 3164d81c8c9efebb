using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace StreamingApp.Core.Inference;

/// <summary>
/// The process's <see cref="InferenceSession"/>s: one per model and intra-op thread count (sessions are thread-safe
/// for <c>Run</c> and costly to create), created on first use from a verified file. Runs pick the thread count per
/// run (<see cref="InferenceSlot.BorrowForRun"/>), so a model has a session for each count up to
/// <see cref="MaxThreadsPerRun"/>.
/// </summary>
public sealed partial class InferenceSessionProvider : IDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly InferenceOptions _options;
    private readonly ILogger<InferenceSessionProvider> _logger;
    private readonly ConcurrentDictionary<(string Model, int Threads), Lazy<InferenceSession>> _sessions = new();

    public InferenceSessionProvider(ModelCatalog catalog, IOptions<InferenceOptions> options, ILogger<InferenceSessionProvider> logger)
    {
        _catalog = catalog;
        _options = options.Value;
        _logger = logger;
        MaxThreadsPerRun = Math.Min(_options.MaxThreadsPerRun, _options.MaxConcurrentFrames);
    }

    /// <summary>Most threads a run can get: <c>Inference:MaxThreadsPerRun</c>, at most the scheduler's cores.</summary>
    public int MaxThreadsPerRun { get; }

    /// <summary>The model's session whose runs use <paramref name="threads"/> intra-op threads.</summary>
    public InferenceSession GetSession(string modelName, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return _sessions.GetOrAdd((modelName, threads), key => new Lazy<InferenceSession>(() => Create(key.Model, key.Threads))).Value;
    }

    /// <summary>The model's sessions for every thread count from 1 to <see cref="MaxThreadsPerRun"/>, all created now.</summary>
    public ModelSessions GetSessions(string modelName)
    {
        var byThreads = new InferenceSession[MaxThreadsPerRun];
        for (var threads = 1; threads <= byThreads.Length; threads++)
        {
            byThreads[threads - 1] = GetSession(modelName, threads);
        }

        return new ModelSessions(byThreads);
    }

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

    private InferenceSession Create(string modelName, int threads)
    {
        var path = _catalog.GetVerifiedPath(modelName);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var spinning = _options.AllowSpinning ? "1" : "0";
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning);
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", spinning);
        var session = new InferenceSession(path, options);
        LogCreated(modelName, threads, _options.AllowSpinning);
        return session;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Inference session for {Model} created ({IntraOpThreads} intra-op threads, spinning {Spinning})")]
    private partial void LogCreated(string model, int intraOpThreads, bool spinning);
}
