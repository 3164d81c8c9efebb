using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace StreamingApp.Tests.Jobs;

/// <summary>
/// The real app (real inference scheduler, ffmpeg, SQLite or PostgreSQL) with its jobs feature on a given data
/// folder, and test pipelines whose timing the test controls instead of the real catalog: "fake" (one fixed detection
/// per frame, after <see cref="FrameDelay"/>), "pixels" (like fake, but the score is the frame's mean brightness, so
/// each frame's result is its own) and "gated" (waits for <see cref="Gate"/> on every frame). Every frame
/// a pipeline processes is counted in <see cref="FramesProcessed"/>. <paramref name="settings"/> are extra
/// configuration keys (e.g. <c>Jobs:LeaseSeconds</c>).
/// </summary>
public sealed class JobsAppFactory(
    string? dataDirectory = null,
    long? maxUploadBytes = null,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? configureServices = null) : StreamingAppFactory
{
    private int _framesProcessed;

    public TimeSpan FrameDelay { get; set; }

    /// <summary>The data folder: the one given, shared with other instances, or else the app's own.</summary>
    public string DataDirectory => dataDirectory ?? JobsDataDirectory;

    public ManualResetEventSlim Gate { get; } = new(false);

    public int FramesProcessed => Volatile.Read(ref _framesProcessed);

    /// <summary>Extra configuration keys: <paramref name="settings"/>, plus any added before the host starts.</summary>
    public Dictionary<string, string?> Settings { get; } = new(settings ?? new Dictionary<string, string?>());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Jobs:DataDirectory", DataDirectory);
        builder.UseSetting("Jobs:PollInterval", "00:00:00.200");
        // Tests follow progress frame by frame.
        builder.UseSetting("Jobs:ProgressMinInterval", "00:00:00");
        if (maxUploadBytes is { } max)
        {
            builder.UseSetting("Jobs:MaxUploadBytes", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IPipelineCatalog>(new TestPipelineCatalog(
                new TestPipeline("fake", _ => Counted(() => Thread.Sleep(FrameDelay))),
                new TestPipeline("pixels", frame => Counted(() => Thread.Sleep(FrameDelay), MeanBrightness(frame))),
                new TestPipeline("gated", _ => Counted(() => Gate.Wait(TimeSpan.FromMinutes(2))))));
            configureServices?.Invoke(services);
        });
    }

    /// <summary>Does the frame's work, counts it, and answers one "thing" of <paramref name="score"/>.</summary>
    private FrameResult Counted(Action work, float score = 0.9f)
    {
        work();
        Interlocked.Increment(ref _framesProcessed);
        return new FrameResult([new Detection(0.25f, 0.25f, 0.5f, 0.5f, "thing", score)], null);
    }

    protected override void Dispose(bool disposing)
    {
        Gate.Set();
        base.Dispose(disposing);
        if (disposing)
        {
            Gate.Dispose();
        }
    }

    private static float MeanBrightness(BgrImage frame)
    {
        long sum = 0;
        foreach (var value in frame.Pixels)
        {
            sum += value;
        }

        return MathF.Round(sum / (255f * frame.Pixels.Length), 4);
    }
}
