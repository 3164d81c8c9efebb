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
}
