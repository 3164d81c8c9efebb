using Serilog;
using StreamingApp.Auth;
using StreamingApp.Cli;
using StreamingApp.Components;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Streaming;
using StreamingApp.Core.Telemetry;
using StreamingApp.Endpoints;
using StreamingApp.Logging;
using StreamingApp.Network;
using StreamingApp.Telemetry;

// Batch mode: analyze image files and exit, without starting the web server.
if (args is [AnalyzeCommand.Name, ..])
{
    return await AnalyzeCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSerilogLogging();
builder.Services.AddTrustedProxies();
builder.AddAccessControl();
builder.Services.AddInference().AddPipelines();
builder.Services.AddTelemetry().AddPrometheusExport();
builder.Services.AddStreaming();
builder.Services.AddJobs();
builder.AddWebUi();

var app = builder.Build();
app.UseTrustedProxies();
app.UseSerilogRequestLogging();
app.UseSecurityHeaders();
app.UseOriginPolicy();
app.UseAccessControl();
app.UseWebSockets();
app.MapPipelineEndpoints();
app.MapStreamEndpoints();
app.MapMetricsEndpoint().WithMetricsAccess();
app.MapJobEndpoints();
app.MapWebUi();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
