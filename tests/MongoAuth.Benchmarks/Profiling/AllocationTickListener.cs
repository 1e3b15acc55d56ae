using System.Diagnostics.Tracing;
using System.Globalization;

namespace MongoAuth.Benchmarks.Profiling;

/// <summary>
/// Collects the runtime's allocation samples by type: its <c>GCAllocationTick</c> event (one event per ~100 KB
/// allocated, naming the type of the object that crossed the mark), read in-process, so no tool needs installing.
/// </summary>
internal sealed class AllocationTickListener : EventListener
{
    private const int AllocationTickEventId = 10;
    private readonly Dictionary<string, (long Bytes, int Samples)> _byType = new(StringComparer.Ordinal);
    private long _total;
    private volatile bool _paused;

    /// <summary>Ignores samples until <see cref="Resume"/> (work that is not measured).</summary>
    public void Pause() => _paused = true;

    /// <summary>Counts samples again.</summary>
    public void Resume() => _paused = false;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // GC keyword (0x1) at Verbose: AllocationTick.
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (_paused || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }

        var type = payload[names.IndexOf("TypeName")] as string ?? "?";
        var bytes = names.IndexOf("AllocationAmount64") is >= 0 and var at ? Convert.ToInt64(payload[at], CultureInfo.InvariantCulture) : 100_000;
        lock (_byType)
        {
            var (sum, count) = _byType.GetValueOrDefault(type);
            _byType[type] = (sum + bytes, count + 1);
            _total += bytes;
        }
    }

    /// <summary>Prints each sampled type's share of <paramref name="perOperation"/> bytes per operation.</summary>
    public void Report(TextWriter output, double perOperation, string unit)
    {
        lock (_byType)
        {
            output.WriteLine($"  sampled types ({_byType.Values.Sum(v => v.Samples)} samples); share of sampled bytes:");
            foreach (var (type, (bytes, samples)) in _byType.OrderByDescending(p => p.Value.Bytes).Take(40))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {100.0 * bytes / Math.Max(1, _total),5:0.0}%  ~{perOperation * bytes / Math.Max(1, _total),8:0} B/{unit}  {samples,5}  {type}"));
            }
        }
    }
}
