using System.Net;
using DnsClient;

namespace MongoAuth.ConnectionStrings;

/// <summary>The default <see cref="IDnsResolver"/>: the system's name servers through DnsClient.</summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client;

    /// <summary>Uses the system's name servers.</summary>
    public DnsClientResolver() => _client = new LookupClient();

    /// <summary>Uses the given name servers only (for example a resolver on loopback), without caching.</summary>
    public DnsClientResolver(params IPEndPoint[] nameServers) =>
        _client = new LookupClient(new LookupClientOptions(nameServers) { UseCache = false, Retries = 1, Timeout = TimeSpan.FromSeconds(5) });

    /// <inheritdoc />
    public async Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _client.QueryAsync(name, QueryType.SRV, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Answers.SrvRecords().Select(r => new SrvRecord(r.Target.Value.TrimEnd('.'), r.Port)).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _client.QueryAsync(name, QueryType.TXT, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Answers.TxtRecords().Select(r => (IReadOnlyList<string>)r.Text.ToList()).ToList();
    }
}
