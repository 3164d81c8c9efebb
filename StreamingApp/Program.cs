using StreamingApp.Core.Streaming;
using StreamingApp.Core.Telemetry;
using StreamingApp.Endpoints;
using StreamingApp.Logging;

var builder = WebApplication.CreateBuilder(args);
builder.AddJsonLogging();
builder.Services.AddTelemetry();
builder.Services.AddStreaming();

var app = builder.Build();
app.UseWebSockets();
app.MapStreamEndpoints();
app.MapMetricsEndpoint();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
