using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Time.Testing;

namespace StreamingApp.Tests.Components;

/// <summary>
/// A bUnit context with what the UI's components inject: a catalog of two pipelines (yolo, the default, and ocr), a
/// fake clock and the circuit-scoped <see cref="StreamPageState"/>, rendered as on a circuit (interactive). JS
/// interop is strict: every call must be set up.
/// </summary>
internal sealed class UiTestContext : BunitContext
{
    /// <param name="services">More services (before the renderer exists; it freezes the collection).</param>
    public UiTestContext(Action<UiTestContext>? services = null)
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        Services.AddSingleton<IPipelineCatalog>(new TestPipelineCatalog(
            new TestPipeline(new PipelineDefinition("ocr", "Text (PP-OCRv4)", "Reads text", ["text"], null)),
            new TestPipeline(new PipelineDefinition("yolo", "Objects (YOLOX-nano)", "Finds objects", ["objects"], null)) { DecodeFit = new(416, 416) })
        {
            DefaultId = "yolo",
        });
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddScoped<StreamPageState>();
        services?.Invoke(this);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture));

    public StreamPageState State => Services.GetRequiredService<StreamPageState>();

    /// <summary>The element-size module every overlay imports: observe and unobserve answer at once.</summary>
    public BunitJSModuleInterop SetupElementSize()
    {
        var module = JSInterop.SetupModule("./js/element-size.js");
        module.SetupVoid("observe", _ => true).SetVoidResult();
        module.SetupVoid("unobserve", _ => true).SetVoidResult();
        return module;
    }
}
