using System.Globalization;

namespace StreamingApp.LoadTest;

/// <summary>Reads the server's resident memory from its /metrics (process_working_set_bytes).</summary>
internal static class ServerMetrics
{
    private static readonly HttpClient Http = new();

    public static async Task<double?> WorkingSetBytesAsync(Uri metricsUrl)
    {
        try
        {
            var text = await Http.GetStringAsync(metricsUrl);
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("process_working_set_bytes ", StringComparison.Ordinal))
                {
                    return double.Parse(line.AsSpan("process_working_set_bytes ".Length), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (HttpRequestException)
        {
            // Reported as unknown.
        }

        return null;
    }
}
