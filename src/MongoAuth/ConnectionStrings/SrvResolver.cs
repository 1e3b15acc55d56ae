using DnsClient;
using MongoAuth.Operations;

namespace MongoAuth.ConnectionStrings;

/// <summary>
/// The one home of the SRV rules, for the initial seed list (initial-dns-seedlist-discovery) and for every rescan
/// (polling-srv-records-for-mongos-discovery): the query name from srvServiceName, SRV records checked against the SRV
/// host's parent domain, srvMaxHosts applied by random choice, and the rescan interval from the records' TTL. The
/// initial resolution also reads at most one TXT record with only authSource, replicaSet and loadBalanced (the string
/// and code win), then validates the settings.
/// </summary>
internal static class SrvResolver
{
    /// <summary>The shortest time between two rescans (polling-srv-records-for-mongos-discovery: never below 60 s).</summary>
    public static readonly TimeSpan MinRescanInterval = TimeSpan.FromSeconds(60);

    private static readonly string[] TxtOptions = ["authSource", "replicaSet", "loadBalanced"];

    /// <summary>The name the SRV query asks for: <c>_{srvServiceName}._tcp.{host}</c>.</summary>
    public static string SrvName(MongoClientSettings settings) => $"_{settings.SrvServiceName}._tcp.{settings.SrvHost}";

    /// <summary>
    /// Returns <paramref name="settings"/> with <c>Servers</c> filled from DNS; unchanged when SRV is not used. The
    /// lookups are synchronous when <paramref name="context"/> is, and bounded by its deadline.
    /// </summary>
    /// <exception cref="MongoConfigurationException">DNS failed, or a record is not acceptable (the message says which).</exception>
    /// <exception cref="MongoOperationTimeoutException">The deadline passed during the lookups.</exception>
    public static async Task<MongoClientSettings> ResolveAsync(MongoClientSettings settings, OperationContext context)
    {
        if (!settings.UsesSrv)
        {
            return settings;
        }

        var host = settings.SrvHost!;
        var resolver = settings.DnsResolver ?? new DnsClientResolver();
        var srvName = SrvName(settings);
        var records = await LookUpAsync(resolver, srvName, host, context, ResolveSrvAsync).ConfigureAwait(false);
        var txt = await LookUpAsync(resolver, host, host, context, ResolveTxtAsync).ConfigureAwait(false);
        if (records.Count == 0)
        {
            throw Error($"DNS has no SRV records for {srvName}.");
        }

        foreach (var record in records)
        {
            if (!IsInDomain(host, record.Target))
            {
                throw Error($"The SRV record {record.Target} of {srvName} is not in the domain of {host}; refusing to connect.");
            }
        }

        var servers = SelectHosts([], records, settings.SrvMaxHosts);
        var resolved = settings with { Servers = servers, SrvRescanInterval = RescanInterval(records, settings.MinSrvRescanInterval) };
        return ApplyTxt(resolved, host, txt).Validate();
    }

    /// <summary>
    /// One rescan (polling-srv-records-for-mongos-discovery): the SRV records only (TXT is read once, at the start),
    /// split into those whose target is under the SRV host's parent domain and those ignored because it is not.
    /// </summary>
    /// <exception cref="MongoConfigurationException">DNS failed (the message says how).</exception>
    /// <exception cref="MongoOperationTimeoutException">The deadline passed during the lookup.</exception>
    public static async Task<(IReadOnlyList<SrvRecord> Verified, IReadOnlyList<SrvRecord> Ignored)> RescanAsync(MongoClientSettings settings, OperationContext context)
    {
        var host = settings.SrvHost!;
        var records = await LookUpAsync(settings.DnsResolver ?? new DnsClientResolver(), SrvName(settings), host, context, ResolveSrvAsync).ConfigureAwait(false);
        return ([.. records.Where(r => IsInDomain(host, r.Target))], [.. records.Where(r => !IsInDomain(host, r.Target))]);
    }

    /// <summary>
    /// The hosts to use from a (verified) SRV answer, given the hosts in use now (none at the initial resolution):
    /// hosts still listed stay as they are, hosts no longer listed go, and new ones join; when srvMaxHosts (0 = no
    /// limit) is smaller than the answer, new hosts are picked at random (Fisher-Yates) until there are that many.
    /// Host names compare case-insensitively.
    /// </summary>
    public static List<MongoServerAddress> SelectHosts(IReadOnlyCollection<MongoServerAddress> current, IEnumerable<SrvRecord> answer, int srvMaxHosts)
    {
        var inUse = current.Select(Key).ToHashSet();
        var listed = answer.Select(r => new MongoServerAddress(r.Target, r.Port)).DistinctBy(Key).ToList();
        var kept = listed.Where(a => inUse.Contains(Key(a))).ToList();
        var fresh = listed.Where(a => !inUse.Contains(Key(a))).ToList();
        if (srvMaxHosts > 0 && kept.Count + fresh.Count > srvMaxHosts)
        {
            Shuffle(fresh);
            fresh = fresh.Take(Math.Max(0, srvMaxHosts - kept.Count)).ToList();
        }

        return [.. kept, .. fresh];
    }

    /// <summary>
    /// When to rescan after an answer: the lowest TTL of its records, but never sooner than <paramref name="minimum"/>
    /// (60 s by the rules); without any TTL (a resolver that does not report them), <paramref name="minimum"/>.
    /// </summary>
    public static TimeSpan RescanInterval(IEnumerable<SrvRecord> records, TimeSpan minimum) =>
        records.Select(r => r.TimeToLive).Where(t => t is not null).Min() is { } lowest && lowest > minimum ? lowest : minimum;

    private static (string Host, int Port) Key(MongoServerAddress address) => (address.Host.TrimEnd('.').ToLowerInvariant(), address.Port);

    /// <summary>One DNS lookup with its failures turned into the errors the callers document.</summary>
    private static async Task<T> LookUpAsync<T>(IDnsResolver resolver, string name, string host, OperationContext context,
        Func<IDnsResolver, string, OperationContext, Task<T>> lookUp)
    {
        try
        {
            context.ThrowIfDone($"DNS lookup of {name}", null);
            return await lookUp(resolver, name, context).ConfigureAwait(false);
        }
        catch (Exception e) when (context.IsExpired && e is DnsResponseException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
        {
            throw context.TimedOut($"SRV/TXT lookup for {host}", null, e);
        }
        catch (Exception e) when (e is DnsResponseException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw Error($"The DNS lookup for {name} failed: {e.Message}", e);
        }
    }

    private static Task<IReadOnlyList<SrvRecord>> ResolveSrvAsync(IDnsResolver resolver, string name, OperationContext context) =>
        resolver is DnsClientResolver dns ? dns.ResolveSrvAsync(name, context)
        : context.IsAsync ? resolver.ResolveSrvAsync(name, context.CancellationToken)
        : Task.FromResult(resolver.ResolveSrv(name, context.CancellationToken));

    private static Task<IReadOnlyList<IReadOnlyList<string>>> ResolveTxtAsync(IDnsResolver resolver, string name, OperationContext context) =>
        resolver is DnsClientResolver dns ? dns.ResolveTxtAsync(name, context)
        : context.IsAsync ? resolver.ResolveTxtAsync(name, context.CancellationToken)
        : Task.FromResult(resolver.ResolveTxt(name, context.CancellationToken));

    /// <summary>
    /// A target belongs to the SRV host when it ends with ".{domain}" on a label boundary, ignoring case, where the
    /// domain is the host without its first label (three labels or more) or the whole host (fewer; the target then
    /// needs at least one more label).
    /// </summary>
    internal static bool IsInDomain(string srvHost, string target)
    {
        var host = srvHost.TrimEnd('.');
        target = target.TrimEnd('.');
        var labels = host.Split('.');
        var domain = labels.Length >= 3 ? host[(labels[0].Length + 1)..] : host;
        return target.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase) && target.Length > domain.Length + 1;
    }

    private static MongoClientSettings ApplyTxt(MongoClientSettings settings, string host, IReadOnlyList<IReadOnlyList<string>> records)
    {
        if (records.Count > 1)
        {
            throw Error($"{host} has {records.Count} TXT records; at most one is allowed.");
        }

        if (records.Count == 0)
        {
            return settings;
        }

        foreach (var pair in string.Concat(records[0]).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var option = TxtOptions.FirstOrDefault(o => o.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (eq <= 0 || option is null)
            {
                throw Error($"The TXT record of {host} has '{key}'; only authSource, replicaSet and loadBalanced are allowed, each as key=value.");
            }

            var value = PercentEncoding.Decode(pair[(eq + 1)..], "TXT record of " + host);
            if (!settings.UriOptions.Contains(option))
            {
                settings = Apply(settings, option, value, host);
            }
        }

        return settings;
    }

    private static MongoClientSettings Apply(MongoClientSettings settings, string option, string value, string host) => option switch
    {
        "authSource" when value.Length == 0 => throw Error($"The TXT record of {host} has an empty authSource."),
        // A source given in code (or as authSource in the string) wins over TXT: only a credential without one, or
        // whose source is just the string's database (the default the parser filled in), takes the TXT's.
        "authSource" => settings.Credential is { } c && MongoCredential.UsesDatabaseAsSource(c.Mechanism) &&
            (c.Source is null || c.Source == settings.DefaultDatabase)
            ? settings with { Credential = new MongoCredential(c.Mechanism, value, c.Username, c.Password, c.MechanismProperties) }
            : settings,
        "replicaSet" => settings.ReplicaSetName is null ? settings with { ReplicaSetName = value } : settings,
        // Only a loadBalanced not set in code or in the string (null) takes the TXT's value.
        _ when bool.TryParse(value, out var loadBalanced) => settings.LoadBalanced is not null ? settings : settings with { LoadBalanced = loadBalanced },
        _ => throw Error($"The TXT record of {host} has loadBalanced that is not true or false."),
    };

    private static void Shuffle(List<MongoServerAddress> servers)
    {
        for (var i = servers.Count - 1; i > 0; i--)
        {
            var j = Random.Shared.Next(i + 1);
            (servers[i], servers[j]) = (servers[j], servers[i]);
        }
    }

    private static MongoConfigurationException Error(string message, Exception? inner = null) =>
        new(message, inner) { OptionName = "mongodb+srv" };
}
