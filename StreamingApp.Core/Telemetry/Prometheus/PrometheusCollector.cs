using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace StreamingApp.Core.Telemetry.Prometheus;

/// <summary>
/// A minimal exporter: listens to every instrument of the meters created by this app's <see cref="IMeterFactory"/>
/// (so two hosts in one test process do not mix), aggregates in memory, and writes the Prometheus text format 0.0.4.
/// Kept small and on its own so prometheus-net or the OpenTelemetry exporter can replace it.
/// </summary>
public sealed class PrometheusCollector : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Histogram bucket bounds in seconds: from 1 ms (a decode) to 10 s (a stalled frame).</summary>
    private static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener;
    private readonly List<InstrumentState> _instruments = [];
    private readonly object _gate = new();

    public PrometheusCollector(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    var state = new InstrumentState(instrument);
                    lock (_gate)
                    {
                        _instruments.Add(state);
                    }

                    listener.EnableMeasurementEvents(instrument, state);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Writes every series in the text exposition format.</summary>
    public string Scrape()
    {
        var text = new StringBuilder(4096);
        lock (_gate)
        {
            _listener.RecordObservableInstruments();
            foreach (var instrument in _instruments)
            {
                instrument.WriteTo(text);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private enum Kind
    {
        Counter,
        Gauge,
        Histogram,
    }

    private sealed class Series
    {
        public double Value;
        public long[]? Buckets;
        public double Sum;
        public long Count;
    }

    private sealed class InstrumentState
    {
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Kind _kind;
        private readonly bool _cumulativeObservation;
        private readonly string _name;
        private readonly string? _help;

        public InstrumentState(Instrument instrument)
        {
            var type = instrument.GetType().GetGenericTypeDefinition();
            _kind = type == typeof(Histogram<>) ? Kind.Histogram
                : type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? Kind.Counter
                : Kind.Gauge;

            // Observable instruments report absolute values; the others report increments.
            _cumulativeObservation = instrument.IsObservable;
            _name = PrometheusNames.For(instrument.Name, instrument.Unit, _kind == Kind.Counter);
            _help = instrument.Description;
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = PrometheusNames.Labels(tags);
            lock (_series)
            {
                if (!_series.TryGetValue(labels, out var series))
                {
                    series = new Series { Buckets = _kind == Kind.Histogram ? new long[Bounds.Length] : null };
                    _series.Add(labels, series);
                }

                switch (_kind)
                {
                    case Kind.Histogram:
                        var i = 0;
                        while (i < Bounds.Length && value > Bounds[i])
                        {
                            i++;
                        }

                        if (i < Bounds.Length)
                        {
                            series.Buckets![i]++;
                        }

                        series.Sum += value;
                        series.Count++;
                        break;
                    default:
                        series.Value = _cumulativeObservation ? value : series.Value + value;
                        break;
                }
            }
        }

        public void WriteTo(StringBuilder text)
        {
            lock (_series)
            {
                if (_series.Count == 0)
                {
                    return;
                }

                if (_help is not null)
                {
                    text.Append("# HELP ").Append(_name).Append(' ').Append(PrometheusNames.EscapeHelp(_help)).Append('\n');
                }

                text.Append("# TYPE ").Append(_name).Append(' ')
                    .Append(_kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" }).Append('\n');
                foreach (var (labels, series) in _series)
                {
                    if (_kind != Kind.Histogram)
                    {
                        Sample(text, _name, labels, null, series.Value);
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i < Bounds.Length; i++)
                    {
                        cumulative += series.Buckets![i];
                        Sample(text, _name + "_bucket", labels, Bounds[i].ToString(CultureInfo.InvariantCulture), cumulative);
                    }

                    Sample(text, _name + "_bucket", labels, "+Inf", series.Count);
                    Sample(text, _name + "_sum", labels, null, series.Sum);
                    Sample(text, _name + "_count", labels, null, series.Count);
                }
            }
        }

        private static void Sample(StringBuilder text, string name, string labels, string? le, double value)
        {
            text.Append(name);
            if (labels.Length > 0 || le is not null)
            {
                text.Append('{').Append(labels);
                if (le is not null)
                {
                    text.Append(labels.Length > 0 ? "," : string.Empty).Append("le=\"").Append(le).Append('"');
                }

                text.Append('}');
            }

            text.Append(' ').Append(PrometheusNames.FormatValue(value)).Append('\n');
        }
    }
}
