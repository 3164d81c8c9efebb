using System.Diagnostics;
using StreamingApp.Cli;

namespace StreamingApp.Tests.Cli;

public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("analyze-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static async Task<(int ExitCode, string[] Lines, string Errors)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AnalyzeCommand.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), stderr.ToString());
    }

    [Fact]
    public async Task RunAsync_CocoPhoto_PrintsOneResultLineWithTheBus()
    {
        var photo = TestPaths.CocoImage("000000001584.jpg");

        var (code, lines, _) = await Run("--pipeline", "yolo", photo);

        Assert.Equal(0, code);
        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        Assert.Equal(photo, json.RootElement.GetProperty("file").GetString());
        var detections = json.RootElement.GetProperty("result").GetProperty("detections");
        Assert.Contains(detections.EnumerateArray(), d => d.GetProperty("label").GetString() == "bus" && d.GetProperty("score").GetSingle() > 0.9f);
        Assert.False(json.RootElement.GetProperty("result").TryGetProperty("texts", out _));
    }

    [Fact]
    public async Task RunAsync_BadFilesAmongGoodOnes_PrintsAnErrorLinePerBadFileAndExitsNonZero()
    {
        var notJpeg = Path.Combine(_temp, "notes.jpg");
        await File.WriteAllTextAsync(notJpeg, "not an image");
        var missing = Path.Combine(_temp, "missing.jpg");
        var photo = TestPaths.CocoImage("000000001532.jpg");

        var (code, lines, _) = await Run("--pipeline", "yolo", notJpeg, photo, missing);

        Assert.Equal(1, code);
        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        using var third = JsonDocument.Parse(lines[2]);
        Assert.Contains("JPEG", first.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(second.RootElement.GetProperty("result").GetProperty("detections").GetArrayLength() > 0);
        Assert.Equal(missing, third.RootElement.GetProperty("file").GetString());
        Assert.True(third.RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task RunAsync_Annotate_WritesThePhotoAtItsSizeWithTheDetectionsDrawn()
    {
        var photo = TestPaths.CocoImage("000000001584.jpg");
        var folder = Path.Combine(_temp, "annotated", "new"); // created by the command

        var (code, lines, errors) = await Run("--pipeline", "yolo", "--annotate", folder, photo);

        Assert.True(code == 0, errors);
        using var json = JsonDocument.Parse(Assert.Single(lines));
        var written = Path.Combine(folder, "000000001584.jpg");
        Assert.Equal(written, json.RootElement.GetProperty("annotated").GetString());
        var result = JsonSerializer.Deserialize(json.RootElement.GetProperty("result").GetRawText(), PipelineJson.Default.FrameResult)!;
        using var decoder = new TurboJpegDecoder(Options.Create(new ImagingOptions()));
        using var original = decoder.Decode(File.ReadAllBytes(photo));
        using var annotated = decoder.Decode(File.ReadAllBytes(written));
        AnnotationAssert.DrawnOn(original, annotated, result.Detections, maxNoise: 4);
    }

    [Fact]
    public async Task RunAsync_AnnotateIntoTheInputsFolder_RefusesBeforeTouchingAnything()
    {
        var photo = Path.Combine(_temp, "photo.jpg");
        File.Copy(TestPaths.CocoImage("000000001532.jpg"), photo);
        var before = await File.ReadAllBytesAsync(photo);

        var (code, lines, errors) = await Run("--pipeline", "yolo", "--annotate", _temp, photo);

        Assert.Equal(2, code);
        Assert.Empty(lines);
        Assert.Contains("overwrite", errors, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(photo));
    }

    [Fact]
    public async Task RunAsync_UnknownPipeline_ExitsWithUsageErrorListingPipelines()
    {
        var (code, lines, errors) = await Run("--pipeline", "faces", TestPaths.CocoImage("000000001532.jpg"));

        Assert.Equal(2, code);
        Assert.Empty(lines);
        Assert.Contains("yolo", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoImages_PrintsUsage()
    {
        var (code, _, errors) = await Run("--pipeline", "yolo");

        Assert.Equal(2, code);
        Assert.Contains("usage:", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_AnalyzeArgument_RunsTheCommandWithoutTheWebServer()
    {
        var app = Path.Combine(AppContext.BaseDirectory, "StreamingApp.dll");
        var photo = TestPaths.CocoImage("000000002431.jpg");
        var psi = new ProcessStartInfo("dotnet", ["exec", app, "analyze", "--pipeline", "yolo", photo])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(psi)!;
        // A started web server would never exit: bound the wait so that failure shows as a kill, not a hung run.
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var kill = hangGuard.Token.Register(() => process.Kill(entireProcessTree: true));
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.False(hangGuard.IsCancellationRequested, "analyze did not exit");
        Assert.True(process.ExitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout.Trim());
        Assert.Contains(
            json.RootElement.GetProperty("result").GetProperty("detections").EnumerateArray(),
            d => d.GetProperty("label").GetString() == "wine glass");
    }
}
