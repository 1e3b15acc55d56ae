using System.Collections.Concurrent;

namespace MongoAuth.Benchmarks.Harness;

/// <summary>What is measured in one cell: a row (scenario and variant), a column (client) and a metric.</summary>
/// <param name="Row">E.g. "Cold connect, SCRAM-SHA-256, TLS".</param>
/// <param name="Client">E.g. "MongoAuth", "MongoDB.Driver", "floor".</param>
/// <param name="Metric">E.g. <see cref="Metrics.Milliseconds"/>.</param>
internal readonly record struct CellKey(string Row, string Client, string Metric);

/// <summary>Metric names used as cell keys and table units.</summary>
internal static class Metrics
{
    public const string Milliseconds = "ms";
    public const string OpsPerSecond = "ops/s";
    public const string BytesPerOp = "B/op";
    public const string Connections = "connections";
    public const string KeyDerivations = "key derivations";
    public const string Pbkdf2Milliseconds = "PBKDF2 ms";
}

/// <summary>Samples per cell, plus the failure of a cell whose client could not run (reported instead of a number).</summary>
internal sealed class ResultBook
{
    private readonly ConcurrentDictionary<CellKey, List<double>> _samples = new();
    private readonly ConcurrentDictionary<(string Row, string Client), string> _failures = new();
    private readonly List<string> _rows = [];

    /// <summary>Every row that has a sample or a failure, in the order they first appeared.</summary>
    public IReadOnlyList<string> RowNames
    {
        get
        {
            lock (_rows)
            {
                return [.. _rows];
            }
        }
    }

    /// <summary>Records one sample.</summary>
    public void Add(string row, string client, string metric, double value)
    {
        Remember(row);
        var list = _samples.GetOrAdd(new CellKey(row, client, metric), _ => []);
        lock (list)
        {
            list.Add(value);
        }
    }

    /// <summary>Records why <paramref name="client"/> has no numbers in <paramref name="row"/> (first reason wins).</summary>
    public void Fail(string row, string client, string reason)
    {
        Remember(row);
        _failures.TryAdd((row, client), "failed: " + reason);
    }

    /// <summary>
    /// Records that <paramref name="client"/> cannot be measured in <paramref name="row"/> on this machine (a missing
    /// package, not a failure of the client): the cell says so instead of a number.
    /// </summary>
    public void NotMeasured(string row, string client, string reason)
    {
        Remember(row);
        _failures.TryAdd((row, client), "not measured: " + reason);
    }

    /// <summary>The metrics a cell has samples of.</summary>
    public IReadOnlyList<string> MetricsOf(string row, string client) =>
        [.. _samples.Keys.Where(k => k.Row == row && k.Client == client).Select(k => k.Metric).Order(StringComparer.Ordinal)];

    private void Remember(string row)
    {
        lock (_rows)
        {
            if (!_rows.Contains(row))
            {
                _rows.Add(row);
            }
        }
    }

    /// <summary>The summary of a cell, or null when it has no samples.</summary>
    public Summary? Get(string row, string client, string metric) =>
        _samples.TryGetValue(new CellKey(row, client, metric), out var list) && list.Count > 0 ? Summary.Of(list) : null;

    /// <summary>Why a cell has no numbers ("failed: …" or "not measured: …"), or null.</summary>
    public string? Failure(string row, string client) => _failures.GetValueOrDefault((row, client));
}
