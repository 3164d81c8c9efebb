using System.Globalization;
using StreamingApp.LoadTest;

// Usage: dotnet run -c Release --project StreamingApp.LoadTest -- --url ws://127.0.0.1:5080 --image frame.jpg
//        [--pipeline yolo] [--sessions 10] [--fps 15] [--seconds 60] [--saturate-seconds 10] [--warmup-seconds 10]
//        or, for the connection storm: --storm 2000 [--hold-seconds 10] (see docs/PERFORMANCE.md)
// One run: a saturated single session with one and with two frames in flight, then (unless --sessions 0) a warm-up
// and N sessions × F FPS; each phase with the server's inference threads busy, then the targets side by side.
var options = LoadOptions.Parse(args);
var frame = await File.ReadAllBytesAsync(options.ImagePath);
if (options.StormAttempts > 0)
{
    return await Storm.RunAsync(options, frame, options.StormAttempts, options.HoldSeconds);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"target {options.Url} pipeline {options.Pipeline}, frame {options.ImagePath} ({frame.Length} bytes)"));

var one = await LoadRun.SaturatedAsync(options, frame, inFlight: 1);
Console.Write(one.Describe());
var two = await LoadRun.SaturatedAsync(options, frame, inFlight: 2);
Console.Write(two.Describe());

PacedResult? paced = null;
if (options.Sessions > 0)
{
    // Warm-up at the run's concurrency, so buffers and model workspaces for parallel frames exist before "before".
    await LoadRun.PacedAsync(options, frame, options.WarmupSeconds);
    paced = await LoadRun.PacedAsync(options, frame, options.Seconds);
    Console.Write(paced.Describe());
}

Console.Write(Targets.Describe(one, two, paced));
return one.Violated || two.Violated || paced?.Violated == true ? 1 : 0;
