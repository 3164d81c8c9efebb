using StreamingApp.Cli;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;
using StreamingApp.Endpoints;

// Batch mode: analyze image files and exit, without starting the web server.
if (args is [AnalyzeCommand.Name, ..])
{
    return await AnalyzeCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddInference().AddPipelines();

var app = builder.Build();
app.MapPipelineEndpoints();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
