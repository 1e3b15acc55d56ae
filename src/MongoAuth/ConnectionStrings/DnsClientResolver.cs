using DnsClient;

namespace MongoAuth.ConnectionStrings;

/// <summary>The default <see cref="IDnsResolver"/>: the system's name servers through DnsClient.</summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client = new();

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
