using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MongoAuth.Diagnostics;

namespace MongoAuth.Tests.Diagnostics;

/// <summary>
/// Listens to MongoAuth's ActivitySource and Meter for one test. Both are process-wide and tests run in parallel, so
/// spans are kept only under this capture's own root span and measurements only for this test's server port.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private const string TestSourceName = "MongoAuth.Tests.Telemetry";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly Activity _root;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public TelemetryCapture()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MongoAuthTelemetry.ActivitySourceName or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MongoAuthTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray())));
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray())));
        _meters.Start();
        _root = TestSource.StartActivity("test root") ?? throw new InvalidOperationException("the test listener samples everything");
    }

    /// <summary>The MongoAuth spans of this test that have ended, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans =>
        [.. _stopped.Where(a => a.Source.Name == MongoAuthTelemetry.ActivitySourceName && a.TraceId == _root.TraceId)];

    public Activity RootSpan => _root;

    /// <summary>Measurements of <paramref name="instrument"/> whose tags include <paramref name="tag"/> = <paramref name="value"/>.</summary>
    public IReadOnlyList<Measurement> Measurements(string instrument, string tag, object value) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == tag && Equals(t.Value, value)))];

    public void Dispose()
    {
        _root.Dispose();
        _activities.Dispose();
        _meters.Dispose();
    }

    internal sealed record Measurement(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string name) => Tags.FirstOrDefault(t => t.Key == name).Value;
    }
}
