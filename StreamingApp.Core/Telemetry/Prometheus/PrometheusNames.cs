using System.Globalization;
using System.Text;

namespace StreamingApp.Core.Telemetry.Prometheus;

/// <summary>Maps OpenTelemetry-style names, units and tags to Prometheus names, suffixes and labels.</summary>
public static class PrometheusNames
{
    /// <summary><c>stream.frame.duration</c> + <c>s</c> → <c>stream_frame_duration_seconds</c>; counters get <c>_total</c>.</summary>
    public static string For(string instrumentName, string? unit, bool counter)
    {
        var name = new StringBuilder(instrumentName.Length + 16);
        foreach (var c in instrumentName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        var suffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => string.Empty, // {frame}, {session}: annotations, not units
        };
        name.Append(suffix);
        if (counter)
        {
            name.Append("_total");
        }

        return name.ToString();
    }

    /// <summary>Tags as a label list, e.g. <c>pipeline="yolo",stage="decode"</c>, in the order given.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var text = new StringBuilder(32 * tags.Length);
        for (var i = 0; i < tags.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            foreach (var c in tags[i].Key)
            {
                text.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
            }

            text.Append("=\"");
            foreach (var c in Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty)
            {
                _ = c switch
                {
                    '\\' => text.Append(@"\\"),
                    '"' => text.Append("\\\""),
                    '\n' => text.Append(@"\n"),
                    _ => text.Append(c),
                };
            }

            text.Append('"');
        }

        return text.ToString();
    }

    public static string EscapeHelp(string help) => help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
