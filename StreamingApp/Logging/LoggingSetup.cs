using Serilog;
using Serilog.Formatting.Json;

namespace StreamingApp.Logging;

public static class LoggingSetup
{
    /// <summary>
    /// Serilog as the <see cref="ILogger"/> backend, configured from the <c>Serilog</c> section
    /// (levels, overrides, sinks). Without sinks configured there, JSON lines to the console.
    /// </summary>
    public static WebApplicationBuilder AddJsonLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration().ReadFrom.Configuration(builder.Configuration);
        if (!builder.Configuration.GetSection("Serilog:WriteTo").Exists())
        {
            configuration.WriteTo.Console(new JsonFormatter(renderMessage: true));
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }
}
