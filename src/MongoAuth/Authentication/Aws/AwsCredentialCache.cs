namespace MongoAuth.Authentication.Aws;

/// <summary>
/// The credentials the driver fetched itself (web identity, ECS, EC2), kept while they are more than five minutes from
/// expiry (MongoDB authentication specification, MONGODB-AWS, "Cached Credentials"). One cache for the process, as
/// the specification's cached-credential tests expect across clients. Credentials from the settings, the environment
/// or a custom provider are never kept; nor are fetched ones without an expiry. Reads and writes are single reference
/// swaps: no lock is held while a source is asked (two connections may both fetch, and the last write wins), which
/// keeps maxConnecting meaningful. Cleared whenever MONGODB-AWS authentication fails.
/// </summary>
internal sealed class AwsCredentialCache
{
    /// <summary>Credentials closer than this to their expiry are fetched again.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private Entry? _entry;

    /// <summary>The process's cache.</summary>
    public static AwsCredentialCache Shared { get; } = new();

    /// <summary>The cached credentials and the source that supplied them, when still usable at <paramref name="now"/>.</summary>
    public (AwsCredentials Credentials, string Source)? Get(DateTimeOffset now) =>
        Volatile.Read(ref _entry) is { } entry && IsUsable(entry.Credentials, now) ? (entry.Credentials, entry.Source) : null;

    /// <summary>Keeps <paramref name="credentials"/> if they have an expiry that leaves them usable at <paramref name="now"/>.</summary>
    public void Offer(AwsCredentials credentials, string source, DateTimeOffset now)
    {
        if (IsUsable(credentials, now))
        {
            Volatile.Write(ref _entry, new Entry(credentials, source));
        }
    }

    /// <summary>Forgets what is cached.</summary>
    public void Clear() => Volatile.Write(ref _entry, null);

    /// <summary>What is cached, usable or not (tests and diagnostics).</summary>
    internal AwsCredentials? Peek => Volatile.Read(ref _entry)?.Credentials;

    /// <summary>Puts <paramref name="credentials"/> in the cache as they are (tests: poisoned or expiring entries).</summary>
    internal void Set(AwsCredentials credentials, string source) => Volatile.Write(ref _entry, new Entry(credentials, source));

    private static bool IsUsable(AwsCredentials credentials, DateTimeOffset now) =>
        credentials.Expiration is { } expiration && expiration - now > RefreshMargin;

    private sealed record Entry(AwsCredentials Credentials, string Source);
}
