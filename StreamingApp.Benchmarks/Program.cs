using BenchmarkDotNet.Running;
using StreamingApp.Benchmarks.Inference;
using StreamingApp.Benchmarks.Jobs;

// A whole job takes seconds: its cost comparison runs interleaved pairs itself rather than through BenchmarkDotNet.
if (args is [JobQueueCost.Command, ..])
{
    await JobQueueCost.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10, Console.Out);
    return;
}

if (args is [JobQueueCost.PostgresCommand, var connectionString, ..])
{
    await JobQueueCost.RunPostgresAsync(
        connectionString, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10, Console.Out);
    return;
}

// On a machine others are using, the yolo ratio in CPU time rather than wall time (see YoloCpuRatio).
if (args is [YoloCpuRatio.Command, ..])
{
    await YoloCpuRatio.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
