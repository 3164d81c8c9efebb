using Microsoft.Extensions.Configuration;

namespace StreamingApp.Tests.Streaming;

public sealed class StreamOptionsTests
{
    private static StreamOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddStreaming();
        return services.BuildServiceProvider().GetRequiredService<IOptions<StreamOptions>>().Value;
    }

    [Fact]
    public void Bind_NothingConfigured_UsesDesignDefaults()
    {
        var options = Resolve([]);

        Assert.Equal(0.10, options.DropThreshold);
        Assert.Equal(0.30, options.SlowdownThreshold);
        Assert.Equal(5, options.MaxFrameSizeMb);
        Assert.Equal(10, options.MaxSessions);
        Assert.Equal(5 * 1024 * 1024, options.MaxFrameBytes);
    }

    [Fact]
    public void Bind_EnvironmentVariableNames_AreTheKeys()
    {
        var options = Resolve(new()
        {
            ["STREAM_DROP_THRESHOLD"] = "0.2",
            ["STREAM_SLOWDOWN_THRESHOLD"] = "0.5",
            ["STREAM_MAX_FRAME_SIZE_MB"] = "2",
            ["STREAM_MAX_SESSIONS"] = "3",
        });

        Assert.Equal(0.2, options.DropThreshold);
        Assert.Equal(0.5, options.SlowdownThreshold);
        Assert.Equal(2, options.MaxFrameSizeMb);
        Assert.Equal(3, options.MaxSessions);
    }

    [Theory]
    [InlineData("STREAM_DROP_THRESHOLD", "1.5")]
    [InlineData("STREAM_DROP_THRESHOLD", "0")]
    [InlineData("STREAM_SLOWDOWN_THRESHOLD", "0.05")]
    [InlineData("STREAM_MAX_FRAME_SIZE_MB", "0")]
    [InlineData("STREAM_MAX_FRAME_SIZE_MB", "4096")]
    [InlineData("STREAM_MAX_SESSIONS", "-1")]
    public void Validate_OutOfRange_FailsNamingTheVariable(string key, string value)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(key, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NotANumber_FailsNamingTheVariable()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Resolve(new() { ["STREAM_MAX_SESSIONS"] = "ten" }));

        Assert.Contains("STREAM_MAX_SESSIONS", exception.Message, StringComparison.Ordinal);
    }
}
