namespace StreamingApp.Tests.TestSupport;

/// <summary>
/// How big the fuzz campaigns run: the suite's sizes times <c>STREAMINGAPP_FUZZ_SCALE</c> (default 1), so a longer
/// campaign is the same test with the variable set (docs/PERFORMANCE.md, "Fuzzing").
/// </summary>
public static class Fuzzing
{
    public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("STREAMINGAPP_FUZZ_SCALE"), out var scale) && scale > 0 ? scale : 1;
}
