using System.Buffers;
using System.Text;
using System.Text.Json;
using StreamingApp.Core.Inference;

namespace StreamingApp.Cli;

/// <summary>
/// <c>StreamingApp analyze --pipeline &lt;id&gt; [--annotate &lt;dir&gt;] &lt;image&gt;...</c>: runs a pipeline on image files and
/// prints one JSON line per file, <c>{"file":..,"result":{..}}</c> or <c>{"file":..,"error":..}</c>, for batch use.
/// With <c>--annotate</c> each image is also written to <c>dir/&lt;file name&gt;</c> at its own size with the result drawn
/// on it (the line then names it in <c>"annotated"</c>). Builds only the inference and pipeline services (a generic
/// host, no web server); logs go to stderr so stdout stays JSON.
/// Exit code: 0 all files analyzed, 1 some file failed or the app could not start, 2 usage error.
/// </summary>
internal static class AnalyzeCommand
{
    public const string Name = "analyze";

    private const string Usage = "usage: StreamingApp analyze --pipeline <id> [--annotate <dir>] <image.jpg>...";

    private sealed record Request(string PipelineId, string? AnnotateDirectory, List<string> Files);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (!TryParse(args, out var request))
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        if (AnnotationClash(request) is { } clash)
        {
            await stderr.WriteLineAsync("error: " + clash);
            return 2;
        }

        using var host = BuildHost();
        try
        {
            await host.StartAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ModelIntegrityException or PipelineDefinitionException or OptionsValidationException)
        {
            await stderr.WriteLineAsync("error: " + ex.Message);
            return 1;
        }

        var catalog = host.Services.GetRequiredService<IPipelineCatalog>();
        if (!catalog.TryGet(request.PipelineId, out var pipeline))
        {
            var known = string.Join(", ", catalog.Definitions.Select(d => d.Id));
            await stderr.WriteLineAsync($"error: unknown pipeline '{request.PipelineId}'; available: {known}");
            return 2;
        }

        var decoder = host.Services.GetRequiredService<IJpegDecoder>();
        if (request.AnnotateDirectory is { } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"error: cannot create the --annotate folder: {ex.Message}");
                return 1;
            }
        }

        var scheduler = host.Services.GetRequiredService<InferenceScheduler>();
        var failed = false;
        foreach (var file in request.Files)
        {
            // One file at a time, alone on the machine: its runs borrow every idle core.
            using var slot = await scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None);
            await stdout.WriteLineAsync(Analyze(file, pipeline, decoder, slot, request.AnnotateDirectory, ref failed));
        }

        await host.StopAsync();
        return failed ? 1 : 0;
    }

    /// <summary>Only the inference and pipeline services, on a generic host; warnings and errors to stderr.</summary>
    private static IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddInference().AddPipelines();
        return builder.Build();
    }

    private static string Analyze(
        string file, IFramePipeline pipeline, IJpegDecoder decoder, InferenceSlot slot, string? annotateDirectory, ref bool failed)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            try
            {
                var jpeg = File.ReadAllBytes(file);
                FrameResult result;
                using (var frame = decoder.Decode(jpeg, pipeline.DecodeFit))
                {
                    result = pipeline.Process(frame, slot, out _);
                }

                json.WritePropertyName("result");
                JsonSerializer.Serialize(json, result, PipelineJson.Default.FrameResult);
                if (annotateDirectory is not null)
                {
                    json.WriteString("annotated", Annotate(jpeg, result, decoder, AnnotatedPath(annotateDirectory, file)));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ImageDecodeException)
            {
                failed = true;
                json.WriteString("error", ex.Message);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The picture at its own size (the pipeline may have seen it scaled down) with the result drawn.</summary>
    private static string Annotate(byte[] jpeg, FrameResult result, IJpegDecoder decoder, string path)
    {
        using var full = decoder.Decode(jpeg);
        File.WriteAllBytes(path, AnnotationRenderer.RenderJpeg(full, result));
        return path;
    }

    private static string AnnotatedPath(string directory, string file) => Path.Combine(directory, Path.GetFileName(file));

    /// <summary>An annotated picture must never replace an input, nor another annotated picture of this run.</summary>
    private static string? AnnotationClash(Request request)
    {
        if (request.AnnotateDirectory is not { } directory)
        {
            return null;
        }

        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in request.Files)
        {
            inputs.Add(Path.GetFullPath(file));
        }

        var outputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in request.Files)
        {
            var output = Path.GetFullPath(AnnotatedPath(directory, file));
            if (inputs.Contains(output))
            {
                return $"--annotate would overwrite the input {output}; choose another folder.";
            }

            if (!outputs.Add(output))
            {
                return $"two images are named {Path.GetFileName(file)}: both would be written to {output}.";
            }
        }

        return null;
    }

    private static bool TryParse(string[] args, out Request request)
    {
        string? pipelineId = null;
        string? annotate = null;
        var files = new List<string>();
        request = new Request("", null, files);
        for (var i = 0; i < args.Length; i++)
        {
            if (!TryOption(args, ref i, "--pipeline", ref pipelineId) && !TryOption(args, ref i, "--annotate", ref annotate))
            {
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    return false;
                }

                files.Add(args[i]);
            }
        }

        request = new Request(pipelineId ?? "", annotate, files);
        return !string.IsNullOrEmpty(pipelineId) && annotate is not "" && files.Count > 0;
    }

    /// <summary><c>--name value</c> or <c>--name=value</c> at <paramref name="i"/>; moves past the value.</summary>
    private static bool TryOption(string[] args, ref int i, string name, ref string? value)
    {
        if (args[i] == name && i + 1 < args.Length)
        {
            value = args[++i];
            return true;
        }

        if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
        {
            value = args[i][(name.Length + 1)..];
            return true;
        }

        return false;
    }
}
