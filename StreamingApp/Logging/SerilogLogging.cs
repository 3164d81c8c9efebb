using System.Globalization;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace StreamingApp.Logging;

public static class SerilogLogging
{
    /// <summary>The console line of <see cref="ConsoleLogFormat.Text"/>.</summary>
    public const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog as the backend of every <see cref="Microsoft.Extensions.Logging.ILogger"/>: levels, enrichers and extra
    /// sinks from the <c>Serilog</c> section, plus the console in the format <see cref="ConsoleLogOptions"/> selects.
    /// Other logger providers registered later (a test's, say) still receive every event.
    /// </summary>
    public static WebApplicationBuilder AddSerilogLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleLogOptions>().BindConfiguration(ConsoleLogOptions.Section).ValidateOnStart();
        builder.Logging.ClearProviders();
        // preserveStaticLogger: each host (several run in one test process) keeps its own logger, never Log.Logger.
        builder.Services.AddSerilog(
            (services, configuration) => Configure(
                configuration.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services),
                services.GetRequiredService<IOptions<ConsoleLogOptions>>().Value.Format),
            preserveStaticLogger: true,
            writeToProviders: true);

        // One line per HTTP request (method, path, status, time), written through this host's logger.
        builder.Services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((options, logger) =>
        {
            options.Logger = logger;
            options.GetLevel = RequestLevel;
        });
        return builder;
    }

    /// <summary>Failures as errors; Prometheus scrapes (every few seconds) only at Debug, so they do not drown the rest.</summary>
    private static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal) ? LogEventLevel.Debug
        : LogEventLevel.Information;

    /// <summary>What <see cref="ConsoleLogFormat.Auto"/> means for this process's stdout.</summary>
    public static ConsoleLogFormat Resolve(ConsoleLogFormat format, bool outputRedirected) =>
        format != ConsoleLogFormat.Auto ? format
        : outputRedirected ? ConsoleLogFormat.Json
        : ConsoleLogFormat.Text;

    private static void Configure(LoggerConfiguration configuration, ConsoleLogFormat format)
    {
        _ = Resolve(format, Console.IsOutputRedirected) switch
        {
            ConsoleLogFormat.Text => configuration.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture),
            ConsoleLogFormat.Json => configuration.WriteTo.Console(new RenderedCompactJsonFormatter()),
            _ => configuration,
        };
    }
}
