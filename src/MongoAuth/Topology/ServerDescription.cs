using System.Globalization;
using MongoDB.Bson;

namespace MongoAuth.Topology;

/// <summary>
/// What the client knows about one server from its last hello (or the error of its last check): the fields the
/// discovery rules and server selection read. Immutable; a new one replaces it after each check.
/// </summary>
public sealed record ServerDescription
{
    /// <summary>The server's address.</summary>
    public required MongoServerAddress Address { get; init; }

    /// <summary>What the server is.</summary>
    public ServerType Type { get; init; }

    /// <summary>Why the server is <see cref="ServerType.Unknown"/> (the last check's failure); null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>The average round trip of the monitor's hellos; null before the first.</summary>
    public TimeSpan? RoundTripTime { get; init; }

    /// <summary>The replica set's name (setName).</summary>
    public string? SetName { get; init; }

    /// <summary>The replica-set configuration version (setVersion).</summary>
    public int? SetVersion { get; init; }

    /// <summary>The primary's election id (electionId).</summary>
    public ObjectId? ElectionId { get; init; }

    /// <summary>The address the server calls its primary.</summary>
    public MongoServerAddress? Primary { get; init; }

    /// <summary>The address the server calls itself (<c>me</c>).</summary>
    public MongoServerAddress? Me { get; init; }

    /// <summary>The set's electable members (hosts), priority-0 members (passives) and arbiters, as this server lists them.</summary>
    public IReadOnlyList<MongoServerAddress> Hosts { get; init; } = [];

    /// <summary>Priority-0 members (passives).</summary>
    public IReadOnlyList<MongoServerAddress> Passives { get; init; } = [];

    /// <summary>Arbiters.</summary>
    public IReadOnlyList<MongoServerAddress> Arbiters { get; init; } = [];

    /// <summary>The member's tags (matched by read-preference tag sets).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>When the server last wrote (<c>lastWrite.lastWriteDate</c>), for maxStalenessSeconds.</summary>
    public DateTime? LastWriteDate { get; init; }

    /// <summary>When this description was made (the client's clock), for maxStalenessSeconds.</summary>
    public DateTime LastUpdateTime { get; init; } = DateTime.UtcNow;

    /// <summary>The server's topologyVersion (<c>processId</c>, <c>counter</c>); null when it sends none.</summary>
    public (ObjectId ProcessId, long Counter)? TopologyVersion { get; init; }

    /// <summary>maxWireVersion.</summary>
    public int MaxWireVersion { get; init; }

    /// <summary>logicalSessionTimeoutMinutes; null without sessions.</summary>
    public int? LogicalSessionTimeoutMinutes { get; init; }

    /// <summary>Whether the server holds data (a standalone, a mongos, a primary or a secondary).</summary>
    public bool IsDataBearing => Type is ServerType.Standalone or ServerType.Mongos or ServerType.RSPrimary or ServerType.RSSecondary or ServerType.LoadBalancer;

    /// <summary>Whether the server's type is known.</summary>
    public bool IsKnown => Type != ServerType.Unknown;

    /// <summary>An unknown server, with the reason when a check failed.</summary>
    public static ServerDescription Unknown(MongoServerAddress address, string? error = null) => new() { Address = address, Error = error };

    /// <summary>
    /// Reads a hello reply (server-discovery-and-monitoring, "Parsing a hello or legacy hello response"): the type
    /// from msg/setName/isWritablePrimary/secondary/arbiterOnly/hidden/isreplicaset, the member lists and the
    /// election fields. Host names are lower-cased, as the rules compare them.
    /// </summary>
    public static ServerDescription FromHello(MongoServerAddress address, BsonDocument reply, TimeSpan? roundTripTime)
    {
        if (reply.GetValue("ok", 0).ToDouble() != 1)
        {
            return Unknown(address, $"hello failed: {reply.GetValue("errmsg", "no reason given")}");
        }

        var setName = Text(reply, "setName");
        var type = ParseType(reply, setName);
        var version = ParseTopologyVersion(reply);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reply.GetValue("tags", BsonNull.Value) is BsonDocument tagDocument)
        {
            foreach (var element in tagDocument)
            {
                tags[element.Name] = element.Value.ToString() ?? "";
            }
        }

        return new ServerDescription
        {
            Address = address,
            Type = type,
            RoundTripTime = roundTripTime,
            SetName = setName,
            SetVersion = reply.GetValue("setVersion", BsonNull.Value) is { IsNumeric: true } setVersion ? setVersion.ToInt32() : null,
            ElectionId = reply.GetValue("electionId", BsonNull.Value) is BsonObjectId electionId ? electionId.Value : null,
            Primary = Text(reply, "primary") is { } primary ? ParseAddress(primary) : null,
            Me = Text(reply, "me") is { } me ? ParseAddress(me) : null,
            Hosts = Addresses(reply, "hosts"),
            Passives = Addresses(reply, "passives"),
            Arbiters = Addresses(reply, "arbiters"),
            Tags = tags,
            LastWriteDate = reply.GetValue("lastWrite", BsonNull.Value) is BsonDocument lastWrite &&
                lastWrite.GetValue("lastWriteDate", BsonNull.Value) is BsonDateTime date ? date.ToUniversalTime() : null,
            TopologyVersion = version,
            MaxWireVersion = reply.GetValue("maxWireVersion", 0).IsNumeric ? reply["maxWireVersion"].ToInt32() : 0,
            LogicalSessionTimeoutMinutes = reply.GetValue("logicalSessionTimeoutMinutes", BsonNull.Value) is { IsNumeric: true } minutes ? minutes.ToInt32() : null,
        };
    }

    /// <summary>The <c>topologyVersion</c> of a hello reply or of an error reply; null when absent or malformed.</summary>
    internal static (ObjectId ProcessId, long Counter)? ParseTopologyVersion(BsonDocument? reply) =>
        reply?.GetValue("topologyVersion", BsonNull.Value) is BsonDocument tv &&
        tv.GetValue("processId", BsonNull.Value) is BsonObjectId processId && tv.GetValue("counter", BsonNull.Value).IsNumeric
            ? (processId.Value, tv["counter"].ToInt64())
            : null;

    /// <summary>Parses <c>host:port</c>, <c>[v6]:port</c> or <c>host</c> as hello lists members, lower-casing the host.</summary>
    public static MongoServerAddress ParseAddress(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value.EndsWith(".sock", StringComparison.Ordinal))
        {
            return new MongoServerAddress(value, MongoServerAddress.DefaultPort, MongoHostKind.UnixSocket);
        }

        string host;
        var port = MongoServerAddress.DefaultPort;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            host = value[1..close];
            if (close + 1 < value.Length && value[close + 1] == ':')
            {
                port = int.Parse(value[(close + 2)..], CultureInfo.InvariantCulture);
            }

            return new MongoServerAddress(host, port, MongoHostKind.IPv6);
        }

        var colon = value.LastIndexOf(':');
        host = colon < 0 ? value : value[..colon];
        if (colon >= 0)
        {
            port = int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture);
        }

        return new MongoServerAddress(host, port, System.Net.IPAddress.TryParse(host, out _) ? MongoHostKind.IPv4 : MongoHostKind.HostName);
    }

    /// <summary>An address as the topology keys it: the host lower-cased (seeds and hello's lists compare equal).</summary>
    public static MongoServerAddress Normalize(MongoServerAddress address) =>
        address.Kind == MongoHostKind.UnixSocket || address.Host == address.Host.ToLowerInvariant()
            ? address
            : address with { Host = address.Host.ToLowerInvariant() };

    /// <summary>One line for errors and the CLI: address, type, round trip, and the error when unknown.</summary>
    public override string ToString()
    {
        var text = $"{Address} ({Type}";
        if (RoundTripTime is { } rtt)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", rtt {rtt.TotalMilliseconds:0.#} ms");
        }

        if (Tags.Count > 0)
        {
            text += ", tags " + string.Join(",", Tags.Select(t => $"{t.Key}:{t.Value}"));
        }

        return Error is null ? text + ")" : $"{text}: {Error})";
    }

    private static ServerType ParseType(BsonDocument reply, string? setName)
    {
        if (reply.GetValue("msg", BsonNull.Value) is BsonString { Value: "isdbgrid" })
        {
            return ServerType.Mongos;
        }

        if (setName is not null)
        {
            return Flag(reply, "isWritablePrimary") || Flag(reply, "ismaster") ? ServerType.RSPrimary
                : Flag(reply, "hidden") ? ServerType.RSOther
                : Flag(reply, "secondary") ? ServerType.RSSecondary
                : Flag(reply, "arbiterOnly") ? ServerType.RSArbiter
                : ServerType.RSOther;
        }

        return Flag(reply, "isreplicaset") ? ServerType.RSGhost : ServerType.Standalone;
    }

    private static bool Flag(BsonDocument reply, string name) => reply.GetValue(name, false) is BsonBoolean { Value: true };

    private static string? Text(BsonDocument reply, string name) => reply.GetValue(name, BsonNull.Value) is BsonString s ? s.Value : null;

    private static List<MongoServerAddress> Addresses(BsonDocument reply, string name) =>
        reply.GetValue(name, BsonNull.Value) is BsonArray array ? [.. array.OfType<BsonString>().Select(s => ParseAddress(s.Value))] : [];
}
