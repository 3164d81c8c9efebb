namespace StreamingApp.Core.Jobs;

/// <summary>pending → running → completed | failed; a released or taken-over job is pending or running again.</summary>
public enum JobStatus
{
    Pending,
    Running,
    Completed,
    Failed,
}

public static class JobStatusNames
{
    /// <summary>The lowercase name used in the database and on the wire.</summary>
    public static string ToWire(this JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Running => "running",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static JobStatus Parse(string value) => value switch
    {
        "pending" => JobStatus.Pending,
        "running" => JobStatus.Running,
        "completed" => JobStatus.Completed,
        "failed" => JobStatus.Failed,
        _ => throw new FormatException($"Unknown job status '{value}'."),
    };
}
