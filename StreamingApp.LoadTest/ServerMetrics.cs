using System.Globalization;

namespace StreamingApp.LoadTest;

/// <summary>One scrape of the server's /metrics: every series by its name and labels, e.g. <c>streamingapp_inference_runs{threads="2"}</c>.</summary>
internal sealed class ServerMetrics
{
    private static readonly HttpClient Http = new();

    private readonly Dictionary<string, double> _series;

    private ServerMetrics(Dictionary<string, double> series, long timestamp)
    {
        _series = series;
        Timestamp = timestamp;
    }

    public long Timestamp { get; }

    public double? WorkingSetBytes => Get("process_working_set_bytes");

    public double? CpuSeconds => Get("process_cpu_seconds_total");

    public double? ThreadsLimit => Get("streamingapp_inference_threads_limit");

    public double? ThreadsPeak => Get("streamingapp_inference_threads_peak");

    public double? BusyThreadSeconds => Get("streamingapp_inference_threads_busy_time");

    public double? Runs(int threads) => Get($"streamingapp_inference_runs{{threads=\"{threads}\"}}");

    /// <summary>The server's metrics now, or null when /metrics cannot be read (reported as unknown).</summary>
    public static async Task<ServerMetrics?> ScrapeAsync(Uri metricsUrl)
    {
        try
        {
            var text = await Http.GetStringAsync(metricsUrl);
            var series = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n'))
            {
                var space = line.LastIndexOf(' ');
                if (line.Length > 0 && line[0] != '#' && space > 0
                    && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    series[line[..space]] = value;
                }
            }

            return new ServerMetrics(series, System.Diagnostics.Stopwatch.GetTimestamp());
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private double? Get(string series) => _series.TryGetValue(series, out var value) ? value : null;
}

/// <summary>What the server did between two scrapes: inference threads busy (mean, peak), CPU, runs by thread count.</summary>
internal sealed record ServerLoad(ServerMetrics? Before, ServerMetrics? After)
{
    public double Seconds => Before is null || After is null ? double.NaN : System.Diagnostics.Stopwatch.GetElapsedTime(Before.Timestamp, After.Timestamp).TotalSeconds;

    public string Describe()
    {
        if (Before is null || After is null || After.BusyThreadSeconds is null)
        {
            return "threads busy: unknown (no inference metrics at /metrics)";
        }

        var mean = (After.BusyThreadSeconds - Before.BusyThreadSeconds) / Seconds;
        var cpu = (After.CpuSeconds - Before.CpuSeconds) / Seconds;
        var limit = (int)(After.ThreadsLimit ?? 0);
        var runs = Enumerable.Range(1, limit).Select(t => (Threads: t, Count: (After.Runs(t) ?? 0) - (Before.Runs(t) ?? 0))).ToArray();
        var total = runs.Sum(r => r.Count);
        var shares = string.Join(", ", runs.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Threads} thread{(r.Threads > 1 ? "s" : "")} {r.Count / Math.Max(total, 1):P0}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"threads busy: mean {mean:F2} of {limit} (peak since start {After.ThreadsPeak:F0}); server CPU {cpu:F2} cores; model runs {total:F0}: {shares}");
    }
}
