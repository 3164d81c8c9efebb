using StreamingApp.Core.Jobs;
using StreamingApp.Endpoints;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddJobs();

var app = builder.Build();
app.MapJobEndpoints();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
