using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StreamingApp.Core.Imaging;
using StreamingApp.Core.Inference;
using StreamingApp.Core.Pipelines;

namespace StreamingApp.Cli;

/// <summary>
/// <c>StreamingApp analyze --pipeline &lt;id&gt; &lt;image&gt;...</c>: runs a pipeline on image files and prints one JSON line
/// per file, <c>{"file":..,"result":{..}}</c> or <c>{"file":..,"error":..}</c>, for batch use. Builds only the
/// inference and pipeline services (a generic host, no web server); logs go to stderr so stdout stays JSON.
/// Exit code: 0 all files analyzed, 1 some file failed or the app could not start, 2 usage error.
/// </summary>
internal static class AnalyzeCommand
{
    public const string Name = "analyze";

    private const string Usage = "usage: StreamingApp analyze --pipeline <id> <image.jpg>...";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (!TryParse(args, out var pipelineId, out var files))
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddInference().AddPipelines();
        using var host = builder.Build();
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
        if (!catalog.TryGet(pipelineId, out var pipeline))
        {
            var known = new List<string>();
            foreach (var definition in catalog.Definitions)
            {
                known.Add(definition.Id);
            }

            await stderr.WriteLineAsync($"error: unknown pipeline '{pipelineId}'; available: {string.Join(", ", known)}");
            return 2;
        }

        var decoder = host.Services.GetRequiredService<IJpegDecoder>();
        var scheduler = host.Services.GetRequiredService<InferenceScheduler>();
        var failed = false;
        foreach (var file in files)
        {
            // One file at a time, alone on the machine: its runs borrow every idle core.
            using var slot = await scheduler.AcquireAsync(InferencePriority.Interactive, CancellationToken.None);
            await stdout.WriteLineAsync(Analyze(file, pipeline, decoder, slot, ref failed));
        }

        await host.StopAsync();
        return failed ? 1 : 0;
    }

    private static string Analyze(string file, IFramePipeline pipeline, IJpegDecoder decoder, InferenceSlot slot, ref bool failed)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            try
            {
                using var frame = decoder.Decode(File.ReadAllBytes(file), pipeline.DecodeFit);
                var result = pipeline.Process(frame, slot, out _);
                json.WritePropertyName("result");
                JsonSerializer.Serialize(json, result, PipelineJson.Default.FrameResult);
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

    private static bool TryParse(string[] args, out string pipelineId, out List<string> files)
    {
        pipelineId = "";
        files = [];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--pipeline" && i + 1 < args.Length)
            {
                pipelineId = args[++i];
            }
            else if (args[i].StartsWith("--pipeline=", StringComparison.Ordinal))
            {
                pipelineId = args[i]["--pipeline=".Length..];
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return false;
            }
            else
            {
                files.Add(args[i]);
            }
        }

        return pipelineId.Length > 0 && files.Count > 0;
    }
}
