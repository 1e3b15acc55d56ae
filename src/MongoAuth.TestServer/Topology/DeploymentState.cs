using MongoDB.Bson;

namespace MongoAuth.TestServer.Topology;

/// <summary>
/// What the servers of one deployment (a replica set or the mongos routers of a cluster) share: a topology counter
/// that rises on every change and wakes awaitable hellos, and the results of retryable writes, so a write retried on
/// another server (after an election, say) is answered with its first result instead of running twice.
/// </summary>
internal sealed class DeploymentState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Session, long TxnNumber), BsonDocument> _writeResults = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _counter;

    /// <summary>The current topologyVersion counter (every server's hello shows it with its own processId).</summary>
    public long Counter
    {
        get
        {
            lock (_lock)
            {
                return _counter;
            }
        }
    }

    /// <summary>When the data last changed (hello's <c>lastWrite.lastWriteDate</c>, for staleness).</summary>
    public DateTime LastWriteDate { get; private set; } = DateTime.UtcNow;

    /// <summary>Records a topology change: the counter rises and every waiting awaitable hello answers.</summary>
    public void Changed()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _counter++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Waits until the counter moves past <paramref name="counter"/> or <paramref name="wait"/> passes.</summary>
    public async Task WaitForChangeAsync(long counter, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_lock)
        {
            if (_counter != counter)
            {
                return;
            }

            changed = _changed.Task;
        }

        await Task.WhenAny(changed, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Runs a write that carries <c>lsid</c> and <c>txnNumber</c> once per (session, txnNumber): a retry gets the
    /// stored reply (retryable-writes spec; mongod keeps it in config.transactions).
    /// </summary>
    public BsonDocument RunRetryableWrite(BsonDocument command, Func<BsonDocument> write)
    {
        var key = (command.GetValue("lsid", BsonNull.Value).ToString() ?? "", command["txnNumber"].ToInt64());
        lock (_lock)
        {
            if (_writeResults.TryGetValue(key, out var first))
            {
                return (BsonDocument)first.DeepClone();
            }
        }

        var result = write();
        lock (_lock)
        {
            _writeResults.TryAdd(key, (BsonDocument)result.DeepClone());
            LastWriteDate = DateTime.UtcNow;
        }

        return result;
    }

    /// <summary>Notes a write that was not retryable (for lastWriteDate).</summary>
    public void Wrote()
    {
        lock (_lock)
        {
            LastWriteDate = DateTime.UtcNow;
        }
    }
}
