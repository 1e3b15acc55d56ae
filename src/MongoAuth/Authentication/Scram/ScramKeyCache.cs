using System.Collections.Concurrent;

namespace MongoAuth.Authentication.Scram;

/// <summary>
/// Client-wide cache of derived SCRAM keys keyed by (password, salt, iterations, mechanism), as the auth spec asks.
/// Concurrent conversations that miss on the same key wait for one derivation, so a pool opening 100 connections
/// runs PBKDF2 once. Thread-safe.
/// </summary>
internal sealed class ScramKeyCache
{
    // A client has one credential, so only a server-side change of salt or iteration count adds keys. The bound
    // keeps a misbehaving server from growing the cache without limit.
    private const int MaxEntries = 16;

    private readonly ConcurrentDictionary<CacheKey, Lazy<ScramKeys>> _entries = new();
    private long _derivationCount;

    /// <summary>How many times PBKDF2 ran (cache misses), for tests and benchmarks.</summary>
    public long DerivationCount => Interlocked.Read(ref _derivationCount);

    /// <summary>Returns the cached keys or derives them once.</summary>
    public ScramKeys GetOrDerive(ScramAlgorithm algorithm, byte[] preparedPassword, byte[] salt, int iterations)
    {
        var key = new CacheKey(algorithm, preparedPassword, salt, iterations);
        if (_entries.Count >= MaxEntries && !_entries.ContainsKey(key))
        {
            _entries.Clear();
        }

        Lazy<ScramKeys> entry = _entries.GetOrAdd(key, k => new Lazy<ScramKeys>(
            () =>
            {
                Interlocked.Increment(ref _derivationCount);
                return k.Algorithm.DeriveKeys(k.PreparedPassword, k.Salt, k.Iterations);
            },
            LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            // Lazy caches exceptions; a failed derivation must not poison the entry.
            _entries.TryRemove(new KeyValuePair<CacheKey, Lazy<ScramKeys>>(key, entry));
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
