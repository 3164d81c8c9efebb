using System.Diagnostics;
using System.Globalization;

namespace StreamingApp.Benchmarks;

/// <summary>What one measured piece of work cost: this process's CPU time (getrusage, microseconds) and wall time.</summary>
public readonly record struct Cost(TimeSpan Cpu, TimeSpan Wall)
{
    public static Cost Measure(Action work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        work();
        return new Cost(Environment.CpuUsage.TotalTime - cpu, clock.Elapsed);
    }

    public static async Task<Cost> MeasureAsync(Func<Task> work)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        await work();
        return new Cost(Environment.CpuUsage.TotalTime - cpu, clock.Elapsed);
    }

    public Cost PerRun(int runs) => new(Cpu / runs, Wall / runs);
}

/// <summary>
/// A candidate against its baseline on a machine whose load drifts: rounds of the two alternate in one process, so a
/// changing load meets both alike, and each round gives the ratio candidate ÷ baseline of this process's CPU time (on
/// a machine others use, wall time is mostly waiting for a core; CPU time is not) and of wall time. The figure is the
/// median of the rounds' ratios. Each side is measured by its own caller, so set-up and checks stay outside the cost.
/// </summary>
public static class AlternatingRounds
{
    public static async Task CompareAsync(
        int rounds, (string Name, Func<Task<Cost>> Run) baseline, (string Name, Func<Task<Cost>> Run) candidate, TextWriter output)
    {
        var baselineCosts = new List<Cost>();
        var candidateCosts = new List<Cost>();
        output.WriteLine($"round\t{baseline.Name} cpu ms\t{candidate.Name} cpu ms\tcpu ratio\t{baseline.Name} wall ms\t{candidate.Name} wall ms\twall ratio");
        for (var i = 1; i <= rounds; i++)
        {
            // Alternate which goes first, so neither always meets the machine a little warmer.
            Cost first, second;
            if (i % 2 == 0)
            {
                first = await baseline.Run();
                second = await candidate.Run();
            }
            else
            {
                second = await candidate.Run();
                first = await baseline.Run();
            }

            baselineCosts.Add(first);
            candidateCosts.Add(second);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i}\t{Ms(first.Cpu)}\t{Ms(second.Cpu)}\t{Ratio(second.Cpu, first.Cpu):F4}\t{Ms(first.Wall)}\t{Ms(second.Wall)}\t{Ratio(second.Wall, first.Wall):F4}"));
        }

        output.WriteLine("cpu:  " + Describe(baseline.Name, baselineCosts.ConvertAll(c => c.Cpu), candidate.Name, candidateCosts.ConvertAll(c => c.Cpu)));
        output.WriteLine("wall: " + Describe(baseline.Name, baselineCosts.ConvertAll(c => c.Wall), candidate.Name, candidateCosts.ConvertAll(c => c.Wall)));
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("F3", CultureInfo.InvariantCulture);

    private static double Ratio(TimeSpan candidate, TimeSpan baseline) => candidate / baseline;

    private static string Describe(string baselineName, List<TimeSpan> baseline, string candidateName, List<TimeSpan> candidate)
    {
        var ratios = candidate.Select((time, i) => Ratio(time, baseline[i])).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"{baselineName} median {Ms(Median(baseline))} ms, {candidateName} median {Ms(Median(candidate))} ms; " +
            $"ratio median {Median(ratios):F4}, mean {ratios.Average():F4}, min {ratios.Min():F4}, max {ratios.Max():F4}");
    }

    /// <summary>The middle value (the upper one of an even count).</summary>
    private static T Median<T>(List<T> values) => values.Order().ElementAt(values.Count / 2);
}
