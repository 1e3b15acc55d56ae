using System.Collections.Concurrent;

namespace MongoAuth.Authentication.Scram;

/// <summary>
/// Client-wide cache of derived SCRAM keys keyed by (password, salt, iterations, mechanism), as the auth spec asks.
/// Concurrent conversations that miss on the same key wait for one derivation, so a pool opening 100 connections
/// runs PBKDF2 once. A derivation runs under the token of the conversation that started it; when that token fires,
/// nothing is cached and each waiter whose own token has not fired derives again (one of them, the others wait for
/// it). A waiter's own token ends its wait at once. Thread-safe.
/// </summary>
internal sealed class ScramKeyCache
{
    // A client has one credential, so only a server-side change of salt or iteration count adds keys. The bound
    // keeps a misbehaving server from growing the cache without limit.
    private const int MaxEntries = 16;

    private readonly ConcurrentDictionary<CacheKey, TaskCompletionSource<ScramKeys>> _entries = new();
    private long _derivationCount;

    /// <summary>How many times PBKDF2 was started (cache misses), for tests and benchmarks.</summary>
    public long DerivationCount => Interlocked.Read(ref _derivationCount);

    /// <summary>
    /// Returns the cached keys or derives them once. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires, whether this caller derives or waits for another's derivation.
    /// </summary>
    public ScramKeys GetOrDerive(ScramAlgorithm algorithm, byte[] preparedPassword, byte[] salt, int iterations, CancellationToken cancellationToken = default)
    {
        var key = new CacheKey(algorithm, preparedPassword, salt, iterations);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_entries.Count >= MaxEntries && !_entries.ContainsKey(key))
            {
                _entries.Clear();
            }

            var mine = new TaskCompletionSource<ScramKeys>(TaskCreationOptions.RunContinuationsAsynchronously);
            var entry = _entries.GetOrAdd(key, mine);
            if (ReferenceEquals(entry, mine))
            {
                return Derive(key, mine, cancellationToken);
            }

            try
            {
                // Synchronous, like the derivation it waits for; the caller's own token ends the wait.
                return entry.Task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The conversation that was deriving was cancelled, not this one: try again (its entry is gone).
            }
        }
    }

    private ScramKeys Derive(CacheKey key, TaskCompletionSource<ScramKeys> entry, CancellationToken cancellationToken)
    {
        try
        {
            Interlocked.Increment(ref _derivationCount);
            var keys = key.Algorithm.DeriveKeys(key.PreparedPassword, key.Salt, key.Iterations, cancellationToken);
            entry.SetResult(keys);
            return keys;
        }
        catch (Exception exception)
        {
            // A failed or cancelled derivation must not poison the entry: remove it before waking the waiters.
            _entries.TryRemove(new KeyValuePair<CacheKey, TaskCompletionSource<ScramKeys>>(key, entry));
            if (exception is OperationCanceledException)
            {
                entry.SetCanceled(CancellationToken.None);
            }
            else
            {
                entry.SetException(exception);
            }

            throw;
        }
    }

    // Equality is by value over the password and salt bytes. No ToString: the key holds the (prepared) password.
    private sealed class CacheKey(ScramAlgorithm algorithm, byte[] preparedPassword, byte[] salt, int iterations) : IEquatable<CacheKey>
    {
        public ScramAlgorithm Algorithm { get; } = algorithm;

        public byte[] PreparedPassword { get; } = preparedPassword;

        public byte[] Salt { get; } = salt;

        public int Iterations { get; } = iterations;

        public bool Equals(CacheKey? other) =>
            other is not null
            && ReferenceEquals(Algorithm, other.Algorithm)
            && Iterations == other.Iterations
            && PreparedPassword.AsSpan().SequenceEqual(other.PreparedPassword)
            && Salt.AsSpan().SequenceEqual(other.Salt);

        public override bool Equals(object? obj) => Equals(obj as CacheKey);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Algorithm);
            hash.Add(Iterations);
            hash.AddBytes(PreparedPassword);
            hash.AddBytes(Salt);
            return hash.ToHashCode();
        }
    }
}
