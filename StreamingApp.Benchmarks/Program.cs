using BenchmarkDotNet.Running;
using StreamingApp.Benchmarks.Jobs;

// A whole job takes seconds: its cost comparison runs interleaved pairs itself rather than through BenchmarkDotNet.
if (args is [JobQueueCost.Command, ..])
{
    await JobQueueCost.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10, Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
