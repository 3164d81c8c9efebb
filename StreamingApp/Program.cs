using StreamingApp.Cli;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;
using StreamingApp.Endpoints;
using StreamingApp.Realtime;

// Batch mode: analyze image files and exit, without starting the web server.
if (args is [AnalyzeCommand.Name, ..])
{
    return await AnalyzeCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddInference().AddPipelines();
builder.AddRealtimeUi();

var app = builder.Build();
app.MapPipelineEndpoints();
app.MapRealtimeUi();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
