using Microsoft.Extensions.Configuration;

namespace StreamingApp.Tests.Jobs;

/// <summary>Job settings as bound; those that cannot work are refused at start (Hosting/BadConfigurationTests).</summary>
public sealed class JobOptionsTests
{
    [Fact]
    public void Options_PostgresWithConnectionString_Accepted()
    {
        var options = Resolve(("Jobs:Store", "postgres"), ("ConnectionStrings:Jobs", "Host=db;Database=jobs"));

        Assert.Equal(JobStoreKind.Postgres, options.Store);
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
