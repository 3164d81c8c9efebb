using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamingApp.Core.Telemetry;

/// <summary>Process memory and CPU gauges, read when scraped, so load tests can watch the server's memory.</summary>
public sealed class ProcessMetrics
{
    public const string MeterName = "StreamingApp.Process";

    public ProcessMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("process.memory.working_set", static () => Environment.WorkingSet, "By", "Resident memory of the process.");
        meter.CreateObservableGauge("process.memory.managed_heap", static () => GC.GetTotalMemory(false), "By", "Bytes in the managed heap.");
        meter.CreateObservableCounter(
            "process.cpu.time", static () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, "s", "CPU time used by the process.");
    }
}
