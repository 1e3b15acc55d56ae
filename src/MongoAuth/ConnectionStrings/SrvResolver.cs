using DnsClient;
using MongoAuth.Operations;

namespace MongoAuth.ConnectionStrings;

/// <summary>
/// Resolves a <c>mongodb+srv</c> setting into a seed list (initial DNS seedlist discovery): SRV records checked
/// against the SRV host's domain, at most one TXT record with only authSource, replicaSet and loadBalanced (the
/// string and code win), srvMaxHosts applied by random choice, then the usual validation.
/// </summary>
internal static class SrvResolver
{
    private static readonly string[] TxtOptions = ["authSource", "replicaSet", "loadBalanced"];

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
        var srvName = $"_{settings.SrvServiceName}._tcp.{host}";
        IReadOnlyList<SrvRecord> records;
        IReadOnlyList<IReadOnlyList<string>> txt;
        try
        {
            context.ThrowIfDone($"SRV lookup of {srvName}", null);
            records = await ResolveSrvAsync(resolver, srvName, context).ConfigureAwait(false);
            context.ThrowIfDone($"TXT lookup of {host}", null);
            txt = await ResolveTxtAsync(resolver, host, context).ConfigureAwait(false);
        }
        catch (Exception e) when (context.IsExpired && e is DnsResponseException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
        {
            throw context.TimedOut($"SRV/TXT lookup for {host}", null, e);
        }
        catch (Exception e) when (e is DnsResponseException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw Error($"The DNS lookup for {srvName} failed: {e.Message}", e);
        }

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

        var servers = records.Select(r => new MongoServerAddress(r.Target, r.Port)).ToList();
        if (settings.SrvMaxHosts > 0 && settings.SrvMaxHosts < servers.Count)
        {
            Shuffle(servers);
            servers = servers.Take(settings.SrvMaxHosts).ToList();
        }

        return ApplyTxt(settings with { Servers = servers }, host, txt).Validate();
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
