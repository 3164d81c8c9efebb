namespace StreamingApp.Benchmarks.Inference;

/// <summary>
/// The yolo pipeline ÷ bare <c>Run</c> ratio of <see cref="YoloBenchmarks"/> in CPU time, for a machine that others are
/// using: blocks of the two alternate in one process (<see cref="AlternatingRounds"/>); the figures are per run, of
/// this process's CPU time and of wall time. Both run on one intra-op thread, as in <see cref="YoloBenchmarks"/>.
/// <c>dotnet StreamingApp.Benchmarks.dll yolo-cpu [rounds]</c>.
/// </summary>
public static class YoloCpuRatio
{
    public const string Command = "yolo-cpu";

    private const int BlockRuns = 25;

    public static async Task RunAsync(int rounds, TextWriter output)
    {
        var bench = new YoloBenchmarks();
        bench.Setup();
        try
        {
            // Warm-up: tiered JIT, ORT's first runs, the pooled workspaces.
            Block(() => bench.BareRun(), BlockRuns * 2);
            Block(() => bench.YoloPipeline(), BlockRuns * 2);
            await AlternatingRounds.CompareAsync(
                rounds,
                ("bare", () => Task.FromResult(Block(() => bench.BareRun(), BlockRuns))),
                ("pipeline", () => Task.FromResult(Block(() => bench.YoloPipeline(), BlockRuns))),
                output);
        }
        finally
        {
            bench.Cleanup();
        }
    }

    /// <summary>Per run, the cost of <paramref name="runs"/> runs in a row.</summary>
    private static Cost Block(Action run, int runs) => Cost.Measure(() =>
    {
        for (var i = 0; i < runs; i++)
        {
            run();
        }
    }).PerRun(runs);
}
