using Microsoft.Extensions.Configuration;

namespace StreamingApp.Tests.Jobs;

/// <summary>Job settings that cannot work stop the app at start (ValidateOnStart), with a message naming the setting.</summary>
public sealed class JobOptionsTests
{
    [Fact]
    public void Options_PostgresWithoutConnectionString_RefusedNamingIt()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(("Jobs:Store", "postgres")));

        Assert.Contains("ConnectionStrings:Jobs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_PostgresWithConnectionString_Accepted()
    {
        var options = Resolve(("Jobs:Store", "postgres"), ("ConnectionStrings:Jobs", "Host=db;Database=jobs"));

        Assert.Equal(JobStoreKind.Postgres, options.Store);
    }

    [Theory]
    [InlineData("Jobs:LeaseSeconds", "0", "LeaseSeconds")]
    [InlineData("Jobs:CheckpointFrames", "0", "CheckpointFrames")]
    [InlineData("Jobs:RetentionDays", "-1", "RetentionDays")]
    [InlineData("Jobs:MaxStorageBytes", "0", "MaxStorageBytes")]
    [InlineData("Jobs:InstanceName", "", "InstanceName")]
    public void Options_OutOfRange_RefusedNamingTheSetting(string key, string value, string name)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve((key, value)));

        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UnknownStore_RefusedNamingTheSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Resolve(("Jobs:Store", "mysql")));

        Assert.Contains("Jobs:Store", ex.Message, StringComparison.Ordinal);
    }

    private static JobOptions Resolve(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddJobs().BuildServiceProvider();
        return services.GetRequiredService<IOptions<JobOptions>>().Value;
    }
}
