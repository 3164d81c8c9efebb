using System.Globalization;
using StreamingApp.LoadTest;

// Usage: dotnet run -c Release --project StreamingApp.LoadTest -- --url ws://127.0.0.1:5080 --image frame.jpg
//        [--pipeline yolo] [--sessions 10] [--fps 15] [--seconds 60] [--saturate-seconds 10] [--warmup-seconds 10]
//        or, for the connection storm: --storm 2000 [--hold-seconds 10] (see docs/PERFORMANCE.md)
var options = LoadOptions.Parse(args);
var frame = await File.ReadAllBytesAsync(options.ImagePath);
if (options.StormAttempts > 0)
{
    return await Storm.RunAsync(options, frame, options.StormAttempts, options.HoldSeconds);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"target {options.Url} pipeline {options.Pipeline}, frame {options.ImagePath} ({frame.Length} bytes)"));

var saturated = await LoadRun.SaturatedAsync(options, frame);
Console.WriteLine(saturated.Describe());

// Warm-up at the run's concurrency, so buffers and model workspaces for parallel frames exist before "before".
await LoadRun.PacedAsync(options with { Seconds = options.WarmupSeconds }, frame);
var memoryBefore = await ServerMetrics.WorkingSetBytesAsync(options.MetricsUrl);
var run = await LoadRun.PacedAsync(options, frame);
var memoryAfter = await ServerMetrics.WorkingSetBytesAsync(options.MetricsUrl);
Console.WriteLine(run.Describe(saturated, memoryBefore, memoryAfter));
return run.Violations == 0 ? 0 : 1;
