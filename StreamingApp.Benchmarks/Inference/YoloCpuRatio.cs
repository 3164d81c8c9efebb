using System.Diagnostics;
using System.Globalization;

namespace StreamingApp.Benchmarks.Inference;

/// <summary>
/// The yolo pipeline ÷ bare <c>Run</c> ratio of <see cref="YoloBenchmarks"/> in CPU time, for a machine that others are
/// using: wall time there is mostly time spent waiting for a core, CPU time is not. Blocks of the two alternate in
/// one process (so a drifting load meets both alike); the figure is the median of the blocks' ratios, of this
/// process's CPU time and of wall time. Both run on one intra-op thread, as in <see cref="YoloBenchmarks"/>.
/// <c>dotnet StreamingApp.Benchmarks.dll yolo-cpu [rounds]</c>.
/// </summary>
public static class YoloCpuRatio
{
    public const string Command = "yolo-cpu";

    private const int BlockRuns = 25;

    public static void Run(int rounds, TextWriter output)
    {
        var bench = new YoloBenchmarks();
        bench.Setup();
        try
        {
            // Warm-up: tiered JIT, ORT's first runs, the pooled workspaces.
            Time(() => bench.BareRun(), BlockRuns * 2);
            Time(() => bench.YoloPipeline(), BlockRuns * 2);
            var cpu = new List<double>();
            var wall = new List<double>();
            var bareCpu = new List<double>();
            var pipelineCpu = new List<double>();
            output.WriteLine("round\tbare cpu ms\tpipeline cpu ms\tcpu ratio\tbare wall ms\tpipeline wall ms\twall ratio");
            for (var i = 1; i <= rounds; i++)
            {
                // Alternate which goes first, so neither always meets the caches a little warmer.
                Cost bare, pipeline;
                if (i % 2 == 0)
                {
                    bare = Time(() => bench.BareRun(), BlockRuns);
                    pipeline = Time(() => bench.YoloPipeline(), BlockRuns);
                }
                else
                {
                    pipeline = Time(() => bench.YoloPipeline(), BlockRuns);
                    bare = Time(() => bench.BareRun(), BlockRuns);
                }

                bareCpu.Add(bare.Cpu);
                pipelineCpu.Add(pipeline.Cpu);
                cpu.Add(pipeline.Cpu / bare.Cpu);
                wall.Add(pipeline.Wall / bare.Wall);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{i}\t{bare.Cpu:F3}\t{pipeline.Cpu:F3}\t{cpu[^1]:F4}\t{bare.Wall:F3}\t{pipeline.Wall:F3}\t{wall[^1]:F4}"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cpu per run: bare median {Median(bareCpu):F3} ms, pipeline median {Median(pipelineCpu):F3} ms"));
            output.WriteLine("cpu ratio:  " + Describe(cpu));
            output.WriteLine("wall ratio: " + Describe(wall));
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private readonly record struct Cost(double Cpu, double Wall);

    /// <summary>Per run, in ms: this process's CPU time (getrusage, microseconds) and wall time.</summary>
    private static Cost Time(Action run, int runs)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            run();
        }

        return new Cost((Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / runs, clock.Elapsed.TotalMilliseconds / runs);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Describe(List<double> ratios) => string.Create(CultureInfo.InvariantCulture,
        $"median {Median(ratios):F4}, mean {ratios.Average():F4}, min {ratios.Min():F4}, max {ratios.Max():F4}");
}
