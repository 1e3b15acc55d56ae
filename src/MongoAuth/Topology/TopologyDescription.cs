using System.Collections.Immutable;
using MongoDB.Bson;

namespace MongoAuth.Topology;

/// <summary>
/// What the client knows about the whole deployment: its type, the replica set's name and the highest
/// (electionId, setVersion) seen, and a description per server. Immutable; <see cref="TopologyRules"/> makes the next
/// one from each new server description.
/// </summary>
public sealed record TopologyDescription
{
    /// <summary>The deployment's type.</summary>
    public TopologyType Type { get; init; }

    /// <summary>The replica set's name (from <c>replicaSet</c> or discovered).</summary>
    public string? SetName { get; init; }

    /// <summary>The highest setVersion a primary reported.</summary>
    public int? MaxSetVersion { get; init; }

    /// <summary>The highest electionId a primary reported.</summary>
    public ObjectId? MaxElectionId { get; init; }

    /// <summary>The servers, by address.</summary>
    public ImmutableDictionary<MongoServerAddress, ServerDescription> Servers { get; init; } = ImmutableDictionary<MongoServerAddress, ServerDescription>.Empty;

    /// <summary>Whether the topology came from a single seed (a lone standalone then makes it Single).</summary>
    internal bool SingleSeed { get; init; }

    /// <summary>The primary, if one is known.</summary>
    public ServerDescription? Primary => Servers.Values.FirstOrDefault(s => s.Type == ServerType.RSPrimary);

    /// <summary>The first topology for a client (server-discovery-and-monitoring, "Initial TopologyType").</summary>
    public static TopologyDescription Initial(IEnumerable<MongoServerAddress> seeds, bool? directConnection, bool loadBalanced, string? replicaSetName)
    {
        var servers = seeds.Select(ServerDescription.Normalize).Distinct().ToList();
        var type = loadBalanced ? TopologyType.LoadBalanced
            : directConnection == true ? TopologyType.Single
            : replicaSetName is not null ? TopologyType.ReplicaSetNoPrimary
            : TopologyType.Unknown;
        return new TopologyDescription
        {
            Type = type,
            SetName = replicaSetName,
            SingleSeed = servers.Count == 1,
            Servers = servers.ToImmutableDictionary(s => s, s => ServerDescription.Unknown(s)),
        };
    }

    /// <summary>
    /// The topology in one line for errors and logs: its type, the set name, and every server with its type, round
    /// trip and last error, e.g. <c>ReplicaSetNoPrimary (set rs0): [127.0.0.1:1 (RSSecondary, rtt 0.3 ms), …]</c>.
    /// </summary>
    public override string ToString()
    {
        var set = SetName is null ? "" : $" (set {SetName})";
        var servers = Servers.Count == 0 ? "no servers" : string.Join(", ", Servers.Values.OrderBy(s => s.Address.ToString(), StringComparer.Ordinal));
        return $"{Type}{set}: [{servers}]";
    }
}
