namespace StreamingApp.Tests.Hosting;

/// <summary>
/// A setting that cannot work stops the whole app at start with a message naming it, so a typo in a deployment fails
/// loudly instead of running with a surprise. One table for every feature's settings, each started through the app.
/// </summary>
public sealed class BadConfigurationTests
{
    [Theory]
    // The live stream's tuning (environment-style names) and its hard limits.
    [InlineData("STREAM_DROP_THRESHOLD=1.5", "STREAM_DROP_THRESHOLD")]
    [InlineData("STREAM_DROP_THRESHOLD=0", "STREAM_DROP_THRESHOLD")]
    [InlineData("STREAM_SLOWDOWN_THRESHOLD=0.05", "STREAM_SLOWDOWN_THRESHOLD")]
    [InlineData("STREAM_SLOWDOWN_THRESHOLD=2", "STREAM_SLOWDOWN_THRESHOLD")]
    [InlineData("STREAM_MAX_FRAME_SIZE_MB=0", "STREAM_MAX_FRAME_SIZE_MB")]
    [InlineData("STREAM_MAX_FRAME_SIZE_MB=4096", "STREAM_MAX_FRAME_SIZE_MB")]
    [InlineData("STREAM_MAX_SESSIONS=-1", "STREAM_MAX_SESSIONS")]
    [InlineData("STREAM_MAX_SESSIONS=ten", "STREAM_MAX_SESSIONS")]
    [InlineData("Stream:MaxConnections=0", "Stream:MaxConnections")]
    [InlineData("Stream:MaxConnectionsPerClient=101", "Stream:MaxConnectionsPerClient")]
    [InlineData("Stream:IdleTimeoutSeconds=0", "Stream:IdleTimeoutSeconds")]
    [InlineData("Stream:SendTimeoutSeconds=-1", "Stream:SendTimeoutSeconds")]
    [InlineData("Stream:MemoryReclaimHandshakes=-1", "Stream:MemoryReclaimHandshakes")]
    [InlineData("Stream:MemoryReclaimQuietSeconds=0", "Stream:MemoryReclaimQuietSeconds")]
    // Inference.
    [InlineData("Ocr:BoxThreshold=2", "BoxThreshold")]
    [InlineData("Inference:MaxThreadsPerRun=0", "MaxThreadsPerRun")]
    [InlineData("Inference:MaxConcurrentFrames=0", "MaxConcurrentFrames")]
    // Upload jobs.
    [InlineData("Jobs:Store=mysql", "Jobs:Store")]
    [InlineData("Jobs:Store=postgres", "ConnectionStrings:Jobs")]
    [InlineData("Jobs:LeaseSeconds=0", "LeaseSeconds")]
    [InlineData("Jobs:CheckpointFrames=0", "CheckpointFrames")]
    [InlineData("Jobs:RetentionDays=-1", "RetentionDays")]
    [InlineData("Jobs:MaxStorageBytes=0", "MaxStorageBytes")]
    [InlineData("Jobs:InstanceName=", "InstanceName")]
    // Who may do what, and which proxies are trusted.
    [InlineData("Auth:Mode=ldap", "Auth:Mode")]
    [InlineData("Auth:Mode=oidc;Auth:Oidc:ClientId=app", "Auth:Oidc:Authority")]
    [InlineData("Auth:Mode=oidc;Auth:Oidc:ClientId=app;Auth:Oidc:Authority=http://idp.example", "Auth:Oidc:Authority must be https")]
    [InlineData("Auth:Mode=oidc;Auth:Oidc:Authority=https://idp.example", "Auth:Oidc:ClientId")]
    [InlineData("RateLimits:SubmitsPerMinute=0", "RateLimits:SubmitsPerMinute")]
    [InlineData("Network:TrustedProxies:0=10.0.0.1/8", "Network:TrustedProxies:0 '10.0.0.1/8'")]
    public void Start_BadSetting_RefusedNamingIt(string settings, string expected)
    {
        using var app = StreamingAppFactory.With(settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]));

        var refusal = app.StartRefusal();

        Assert.Contains(expected, refusal, StringComparison.Ordinal);
    }
}
