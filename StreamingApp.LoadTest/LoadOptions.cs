using System.Globalization;

namespace StreamingApp.LoadTest;

internal sealed record LoadOptions(
    Uri Url, string Pipeline, string ImagePath, int Sessions, double Fps, double Seconds, double SaturateSeconds, double WarmupSeconds,
    int StormAttempts, double HoldSeconds)
{
    public Uri StreamUrl => new(Url, "/ws/video/stream?pipeline_id=" + Uri.EscapeDataString(Pipeline));

    public Uri MetricsUrl => new(new UriBuilder(Url) { Scheme = Url.Scheme == "wss" ? "https" : "http" }.Uri, "/metrics");

    public static LoadOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        double Number(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        var image = Get("image", string.Empty);
        if (image.Length == 0)
        {
            throw new ArgumentException("--image <jpeg> is required (e.g. a 640×480 JPEG made from a COCO photo).");
        }

        return new LoadOptions(
            new Uri(Get("url", "ws://127.0.0.1:5080")),
            Get("pipeline", "yolo"),
            image,
            (int)Number("sessions", 10),
            Number("fps", 15),
            Number("seconds", 60),
            Number("saturate-seconds", 10),
            Number("warmup-seconds", 10),
            (int)Number("storm", 0),
            Number("hold-seconds", 10));
    }
}
