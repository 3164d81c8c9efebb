using Microsoft.Extensions.Logging;

namespace StreamingApp.Tests.TestSupport;

/// <summary>Keeps every log event with its structured state, for tests that check what is logged (or wait for it).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public WaitableQueue<CapturedLog> Logs { get; } = new();

    /// <summary>The first event with <paramref name="eventId"/>, logged already or to come.</summary>
    public Task<CapturedLog> WaitForAsync(int eventId) => Logs.WaitForAsync(l => l.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = new Dictionary<string, object?>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    properties[key] = value;
                }
            }

            owner.Logs.Add(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception), properties, exception));
        }
    }
}

public sealed record CapturedLog(
    string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);
