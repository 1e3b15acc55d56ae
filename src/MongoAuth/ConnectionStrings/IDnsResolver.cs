namespace MongoAuth.ConnectionStrings;

/// <summary>One SRV record: target host and port (priority and weight are ignored by MongoDB).</summary>
/// <param name="Target">The target host name, without a trailing dot.</param>
/// <param name="Port">The target port.</param>
public sealed record SrvRecord(string Target, int Port)
{
    /// <summary>
    /// The record's time to live, when the resolver knows it (null otherwise). SRV polling rescans after the lowest
    /// TTL of the answer, and never sooner than 60 seconds.
    /// </summary>
    public TimeSpan? TimeToLive { get; init; }
}

/// <summary>
/// The DNS lookups MongoAuth needs (SRV and TXT for <c>mongodb+srv</c>). Replace it in tests or to route DNS
/// through your own resolver. The synchronous API calls the synchronous methods; their default implementations wait
/// on the asynchronous ones, so a resolver with a real synchronous lookup should override them.
/// </summary>
public interface IDnsResolver
{
    /// <summary>Looks up the SRV records of <paramref name="name"/> (e.g. <c>_mongodb._tcp.cluster.example.com</c>).</summary>
    Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken);

    /// <summary>Looks up the TXT records of <paramref name="name"/>; each record is its strings in order.</summary>
    Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken);

    /// <summary>The synchronous form of <see cref="ResolveSrvAsync"/> (the default waits on it).</summary>
    IReadOnlyList<SrvRecord> ResolveSrv(string name, CancellationToken cancellationToken) =>
        ResolveSrvAsync(name, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The synchronous form of <see cref="ResolveTxtAsync"/> (the default waits on it).</summary>
    IReadOnlyList<IReadOnlyList<string>> ResolveTxt(string name, CancellationToken cancellationToken) =>
        ResolveTxtAsync(name, cancellationToken).GetAwaiter().GetResult();
}
