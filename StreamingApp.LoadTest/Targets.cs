using System.Globalization;
using System.Text;

namespace StreamingApp.LoadTest;

/// <summary>The work-conserving targets, as ratios within this one run (so a busy machine moves both sides alike).</summary>
internal static class Targets
{
    public static string Describe(SaturatedResult one, SaturatedResult two, PacedResult? paced)
    {
        var text = new StringBuilder("targets (this run):\n");
        Line(text, "one in flight: round trip p50", one.Latency.P50, "ms", null);
        Line(text, "two in flight: dropped", two.DroppedShare * 100, "%", two.DroppedShare <= 0.10, "≤ 10 %");
        if (paced is null)
        {
            return text.ToString();
        }

        var (first, second) = paced.Halves;
        Line(text, "two in flight ÷ paced aggregate", two.Fps / paced.Aggregate, "", two.Fps >= 0.8 * paced.Aggregate, "≥ 0.8");
        var efficiency = paced.Aggregate / Math.Min(one.Fps, paced.Offered);
        Line(text, "paced efficiency (aggregate ÷ min(one in flight, offered))", efficiency, "", efficiency >= 0.9, "≥ 0.9");
        Line(text, "paced fairness", paced.Fairness, "", paced.Fairness >= 0.8, "≥ 0.8");
        Line(text, "paced: every frame answered once", paced.AnsweredOnce ? 1 : 0, "", paced.AnsweredOnce, "yes");
        Line(text, "paced p99 second half ÷ first half", second.P99 / first.P99, "", second.P99 <= 1.2 * first.P99, "≤ 1.2");
        return text.ToString();
    }

    private static void Line(StringBuilder text, string what, double value, string unit, bool? met, string target = "")
    {
        var verdict = met switch { true => "met", false => "MISSED", null => "reported" };
        text.Append(CultureInfo.InvariantCulture, $"  {what}: {value:F3}{(unit.Length > 0 ? " " + unit : "")} {target} — {verdict}\n");
    }
}
