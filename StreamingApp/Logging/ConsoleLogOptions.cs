namespace StreamingApp.Logging;

/// <summary>How the app writes its log to the console (section <c>ConsoleLog</c>).</summary>
public sealed class ConsoleLogOptions
{
    public const string Section = "ConsoleLog";

    public ConsoleLogFormat Format { get; set; } = ConsoleLogFormat.Auto;
}

public enum ConsoleLogFormat
{
    /// <summary>Text on a terminal, JSON when stdout is redirected (a pipe, a file, the journal, a container log).</summary>
    Auto,

    /// <summary>One readable line per event: <c>[12:00:01 INF] Now listening on: http://localhost:5080</c>.</summary>
    Text,

    /// <summary>One compact JSON object per line with the rendered message (<c>@t</c>, <c>@m</c>, <c>@i</c>, <c>@l</c>, properties).</summary>
    Json,

    /// <summary>Nothing on the console (logs go only to the sinks in <c>Serilog:WriteTo</c>, if any).</summary>
    Off,
}
