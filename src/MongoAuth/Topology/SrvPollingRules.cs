namespace MongoAuth.Topology;

/// <summary>
/// What a rescan of a <c>mongodb+srv</c> name does to the topology (polling-srv-records-for-mongos-discovery). Which
/// hosts to use is <see cref="ConnectionStrings.SrvResolver.SelectHosts"/>'s (the rules shared with the initial seed
/// list); this applies them. Pure functions, unit tested from the rules.
/// </summary>
internal static class SrvPollingRules
{
    /// <summary>
    /// Whether a topology of this type is rescanned: only while it is Sharded or still Unknown; never a replica set,
    /// a Single server or a load balancer.
    /// </summary>
    public static bool Polls(TopologyType type) => type is TopologyType.Sharded or TopologyType.Unknown;

    /// <summary>
    /// The topology with exactly <paramref name="hosts"/>: servers still listed keep their description untouched,
    /// servers no longer listed are removed, new ones join as Unknown. The same instance when nothing changes.
    /// </summary>
    public static TopologyDescription WithHosts(TopologyDescription topology, IEnumerable<MongoServerAddress> hosts)
    {
        var wanted = hosts.Select(ServerDescription.Normalize).ToHashSet();
        var servers = topology.Servers.RemoveRange(topology.Servers.Keys.Where(a => !wanted.Contains(a)));
        foreach (var address in wanted.Where(a => !servers.ContainsKey(a)))
        {
            servers = servers.Add(address, ServerDescription.Unknown(address));
        }

        return servers.Count == topology.Servers.Count && servers.Keys.All(topology.Servers.ContainsKey)
            ? topology
            : topology with { Servers = servers };
    }
}
