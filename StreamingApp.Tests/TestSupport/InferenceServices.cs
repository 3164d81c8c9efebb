using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// The app's own inference wiring (<c>AddInference().AddPipelines()</c>) on the repository's models and pipeline
/// files, without a web host: what the tests' shared models and the benchmarks run on. Compiled into both.
/// </summary>
public static class InferenceServices
{
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Models:Directory"] = TestPaths.ModelsDirectory,
            ["Pipelines:Directory"] = Path.Combine(TestPaths.RepoRoot, "StreamingApp", "pipelines"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddInference().AddPipelines();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
