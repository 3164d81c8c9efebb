using System.Globalization;
using System.Text;

namespace StreamingApp.LoadTest;

internal static class Stats
{
    public static (double P50, double P99) Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        return (sorted[(int)(0.50 * (sorted.Length - 1))], sorted[(int)Math.Ceiling(0.99 * (sorted.Length - 1))]);
    }
}

/// <summary>A saturated single session with <see cref="InFlight"/> frames awaiting an answer.</summary>
internal sealed record SaturatedResult(int InFlight, SessionRecorder Session, double Seconds, ServerLoad Load)
{
    /// <summary>Frames answered with a result per second.</summary>
    public double Fps => Session.Results.Count / Seconds;

    public double DroppedShare => (double)Session.Dropped / Math.Max(Session.Sent, 1);

    /// <summary>The first frames warm up the process; latency and server timings leave them out.</summary>
    private int WarmUpFrames => Math.Min(10, Session.Results.Count / 10);

    public (double P50, double P99) Latency => Stats.Percentiles(Session.Results.Skip(WarmUpFrames).Select(r => r.LatencyMs));

    public bool Violated => Session.Answered != Session.Sent || Session.Duplicates > 0 || Session.Errors.Count > 0;

    public string Describe()
    {
        var server = Session.ServerTimings.Skip(WarmUpFrames).ToArray();
        var (total, decode, pipeline) = server.Length == 0
            ? (double.NaN, double.NaN, double.NaN)
            : (server.Average(t => t.TotalMs), server.Average(t => t.DecodeMs), server.Average(t => t.InferenceMs));
        var meanRoundTrip = Session.Results.Skip(WarmUpFrames).Select(r => r.LatencyMs).DefaultIfEmpty(double.NaN).Average();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"single session, {InFlight} in flight ({Seconds:F1} s): processed {Fps:F1} FPS; sent {Session.Sent}, dropped {Session.Dropped} ({DroppedShare:P1}), slow_down {Session.SlowDowns}, errors {Session.Errors.Count}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"  round trip p50 {Latency.P50:F1} ms p99 {Latency.P99:F1} ms (mean {meanRoundTrip:F2}); server per frame {total:F2} ms = decode {decode:F2} + pipeline {pipeline:F2} + wait/other {total - decode - pipeline:F3} ms\n");
        text.Append("  ").Append(Load.Describe()).Append('\n');
        return text.ToString();
    }
}

/// <summary>N sessions at F FPS.</summary>
internal sealed record PacedResult(LoadOptions Options, SessionRecorder[] Sessions, double Seconds, ServerLoad Load)
{
    public double Aggregate => Sessions.Sum(s => s.Results.Count) / Seconds;

    public double Offered => Options.Sessions * Options.Fps;

    public double Fairness
    {
        get
        {
            var perSession = Sessions.Select(s => s.Results.Count / Seconds).ToArray();
            return perSession.Min() / perSession.Max();
        }
    }

    public double DroppedShare => (double)Sessions.Sum(s => s.Dropped) / Math.Max(Sessions.Sum(s => s.Sent), 1);

    /// <summary>Latency of the first and second half of the run (by send time): a queue growing would show in the second.</summary>
    public ((double P50, double P99) First, (double P50, double P99) Second) Halves
    {
        get
        {
            var all = Sessions.SelectMany(s => s.Results).OrderBy(r => r.SentAt).ToArray();
            var half = all.Length / 2;
            return (Stats.Percentiles(all.Take(half).Select(r => r.LatencyMs)), Stats.Percentiles(all.Skip(half).Select(r => r.LatencyMs)));
        }
    }

    public bool AnsweredOnce => Sessions.All(s => s.Answered == s.Sent && s.Duplicates == 0);

    public bool Violated => !AnsweredOnce || Sessions.Any(s => s.Errors.Count > 0);

    public string Describe()
    {
        var (memoryBefore, memoryAfter) = (Load.Before?.WorkingSetBytes, Load.After?.WorkingSetBytes);
        var perSession = Sessions.Select(s => s.Results.Count / Seconds).ToArray();
        var (first, second) = Halves;
        var growth = memoryBefore is > 0 && memoryAfter is not null ? (memoryAfter.Value - memoryBefore.Value) / memoryBefore.Value : double.NaN;
        var errors = Sessions.SelectMany(s => s.Errors).ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Options.Sessions} sessions × {Options.Fps} FPS × {Seconds:F0} s (offered {Offered:F0} FPS): aggregate processed {Aggregate:F1} FPS\n");
        text.Append(CultureInfo.InvariantCulture, $"  fairness {Fairness:F3} (min {perSession.Min():F2} ÷ max {perSession.Max():F2} FPS per session)\n");
        text.Append(CultureInfo.InvariantCulture,
            $"  frames sent {Sessions.Sum(s => s.Sent)}, answered {Sessions.Sum(s => s.Answered)}, processed {Sessions.Sum(s => s.Results.Count)}, dropped {Sessions.Sum(s => s.Dropped)} ({DroppedShare:P1}), duplicates {Sessions.Sum(s => s.Duplicates)}, slow_down {Sessions.Sum(s => s.SlowDowns)}, errors {errors.Length}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"  latency first half p50 {first.P50:F1} ms p99 {first.P99:F1} ms; second half p50 {second.P50:F1} ms p99 {second.P99:F1} ms (p99 ratio {second.P99 / first.P99:F2})\n");
        text.Append(CultureInfo.InvariantCulture, $"  server memory before {memoryBefore / 1048576:F1} MiB, after {memoryAfter / 1048576:F1} MiB (growth {growth:P1})\n");
        text.Append("  ").Append(Load.Describe()).Append('\n');
        foreach (var error in errors.Distinct())
        {
            text.Append("  error: ").Append(error).Append('\n');
        }

        return text.ToString();
    }
}
