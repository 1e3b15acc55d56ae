using System.Net;
using DnsClient;
using MongoAuth.Operations;

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
        return Srv(response);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _client.QueryAsync(name, QueryType.TXT, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Txt(response);
    }

    /// <inheritdoc />
    public IReadOnlyList<SrvRecord> ResolveSrv(string name, CancellationToken cancellationToken) =>
        Srv(Query(name, QueryType.SRV, OperationContext.Start(isAsync: false, cancellationToken)));

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<string>> ResolveTxt(string name, CancellationToken cancellationToken) =>
        Txt(Query(name, QueryType.TXT, OperationContext.Start(isAsync: false, cancellationToken)));

    /// <summary>SRV records, synchronously or not, within the operation's deadline.</summary>
    internal async Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(string name, OperationContext context) =>
        context.IsAsync ? Srv(await _client.QueryAsync(new DnsQuestion(name, QueryType.SRV), Options(context), context.CancellationToken).ConfigureAwait(false))
        : Srv(Query(name, QueryType.SRV, context));

    /// <summary>TXT records, synchronously or not, within the operation's deadline.</summary>
    internal async Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(string name, OperationContext context) =>
        context.IsAsync ? Txt(await _client.QueryAsync(new DnsQuestion(name, QueryType.TXT), Options(context), context.CancellationToken).ConfigureAwait(false))
        : Txt(Query(name, QueryType.TXT, context));

    /// <summary>
    /// DnsClient's synchronous query (its own UDP/TCP I/O, no thread-pool wait). It cannot be cancelled, so each try is
    /// given at most the remaining time and no retry once the remaining time is shorter than one try.
    /// </summary>
    private IDnsQueryResponse Query(string name, QueryType type, OperationContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        return _client.Query(new DnsQuestion(name, type), Options(context));
    }

    private DnsQueryAndServerOptions Options(OperationContext context)
    {
        var settings = _client.Settings;
        var timeout = settings.Timeout;
        var retries = settings.Retries;
        if (context.Remaining is { } left && left < timeout * (retries + 1))
        {
            timeout = left < timeout ? (left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1)) : timeout;
            retries = 0;
        }
        return new DnsQueryAndServerOptions(settings.NameServers.ToArray())
        {
            UseCache = settings.UseCache,
            Timeout = timeout,
            Retries = retries,
            UseTcpFallback = settings.UseTcpFallback,
            ContinueOnDnsError = settings.ContinueOnDnsError,
            ContinueOnEmptyResponse = settings.ContinueOnEmptyResponse,
        };
    }

    private static List<SrvRecord> Srv(IDnsQueryResponse response) =>
        Succeeded(response, QueryType.SRV).Answers.SrvRecords()
            .Select(r => new SrvRecord(r.Target.Value.TrimEnd('.'), r.Port) { TimeToLive = TimeSpan.FromSeconds(r.TimeToLive) }).ToList();

    private static List<IReadOnlyList<string>> Txt(IDnsQueryResponse response) =>
        Succeeded(response, QueryType.TXT).Answers.TxtRecords().Select(r => (IReadOnlyList<string>)r.Text.ToList()).ToList();

    /// <summary>
    /// The response when the server answered; otherwise its error (SERVFAIL, REFUSED, …) as an exception with the
    /// response code, so that a failed query is never read as "no records". A name that does not exist (NXDOMAIN) has
    /// no TXT record, which is not an error; for SRV it is reported with its code.
    /// </summary>
    private static IDnsQueryResponse Succeeded(IDnsQueryResponse response, QueryType type)
    {
        if (!response.HasError || (type == QueryType.TXT && response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain))
        {
            return response;
        }

        throw new DnsResponseException((DnsResponseCode)response.Header.ResponseCode,
            $"the {type} query for {response.Questions.FirstOrDefault()?.QueryName} failed with {response.Header.ResponseCode} ({response.ErrorMessage})");
    }
}
