using StreamingApp.Realtime;

var builder = WebApplication.CreateBuilder(args);
builder.AddRealtimeUi();

var app = builder.Build();
app.MapRealtimeUi();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
