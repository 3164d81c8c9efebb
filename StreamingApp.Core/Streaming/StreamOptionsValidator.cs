namespace StreamingApp.Core.Streaming;

/// <summary>Checks <see cref="StreamOptions"/> at start; each failure names the variable to fix.</summary>
public sealed class StreamOptionsValidator : IValidateOptions<StreamOptions>
{
    // 1 GiB would overflow MaxFrameBytes and no camera frame comes near it.
    private const int MaxFrameSizeMbLimit = 1023;

    public ValidateOptionsResult Validate(string? name, StreamOptions options)
    {
        List<string>? failures = null;

        if (!(options.DropThreshold > 0 && options.DropThreshold < 1))
        {
            (failures ??= []).Add($"{StreamOptions.DropThresholdKey} must be between 0 and 1 (exclusive); got {options.DropThreshold}.");
        }

        if (!(options.SlowdownThreshold > 0 && options.SlowdownThreshold < 1))
        {
            (failures ??= []).Add($"{StreamOptions.SlowdownThresholdKey} must be between 0 and 1 (exclusive); got {options.SlowdownThreshold}.");
        }
        else if (options.SlowdownThreshold <= options.DropThreshold)
        {
            (failures ??= []).Add($"{StreamOptions.SlowdownThresholdKey} ({options.SlowdownThreshold}) must be greater than {StreamOptions.DropThresholdKey} ({options.DropThreshold}).");
        }

        if (options.MaxFrameSizeMb is < 1 or > MaxFrameSizeMbLimit)
        {
            (failures ??= []).Add($"{StreamOptions.MaxFrameSizeMbKey} must be between 1 and {MaxFrameSizeMbLimit}; got {options.MaxFrameSizeMb}.");
        }

        if (options.MaxSessions < 1)
        {
            (failures ??= []).Add($"{StreamOptions.MaxSessionsKey} must be at least 1; got {options.MaxSessions}.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
