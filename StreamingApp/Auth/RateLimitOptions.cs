namespace StreamingApp.Auth;

/// <summary>Section <c>RateLimits</c>: per user (or, without sign-in, per client address) and per instance.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Uploads (<c>POST /v1/video/submit</c>) per minute: this many at once, then one more every 60/N s; beyond it 429.</summary>
    public int SubmitsPerMinute { get; set; } = 30;
}
