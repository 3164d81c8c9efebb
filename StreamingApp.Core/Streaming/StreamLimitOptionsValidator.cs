namespace StreamingApp.Core.Streaming;

/// <summary>Checks <see cref="StreamLimitOptions"/> at start; each failure names the key to fix.</summary>
public sealed class StreamLimitOptionsValidator : IValidateOptions<StreamLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamLimitOptions options)
    {
        List<string>? failures = null;
        if (options.MaxConnections < 1)
        {
            (failures ??= []).Add($"Stream:MaxConnections must be at least 1; got {options.MaxConnections}.");
        }

        if (options.MaxConnectionsPerClient < 1 || options.MaxConnectionsPerClient > options.MaxConnections)
        {
            (failures ??= []).Add(
                $"Stream:MaxConnectionsPerClient must be from 1 to Stream:MaxConnections ({options.MaxConnections}); got {options.MaxConnectionsPerClient}.");
        }

        if (options.IdleTimeoutSeconds < 1)
        {
            (failures ??= []).Add($"Stream:IdleTimeoutSeconds must be at least 1; got {options.IdleTimeoutSeconds}.");
        }

        if (options.SendTimeoutSeconds < 1)
        {
            (failures ??= []).Add($"Stream:SendTimeoutSeconds must be at least 1; got {options.SendTimeoutSeconds}.");
        }

        if (options.MemoryReclaimHandshakes < 0)
        {
            (failures ??= []).Add($"Stream:MemoryReclaimHandshakes must be 0 (off) or more; got {options.MemoryReclaimHandshakes}.");
        }

        if (options.MemoryReclaimQuietSeconds < 1)
        {
            (failures ??= []).Add($"Stream:MemoryReclaimQuietSeconds must be at least 1; got {options.MemoryReclaimQuietSeconds}.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
