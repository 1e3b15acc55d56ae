using MongoDB.Bson;

namespace MongoAuth.Topology;

/// <summary>
/// The replica-set discovery rules (server-discovery-and-monitoring, "Updating the TopologyDescription"): how a new
/// description of one server changes the topology's type, its set name, its election high-water mark and its list of
/// servers. Pure functions, unit tested from the rules.
/// </summary>
internal static class TopologyRules
{
    /// <summary>The topology after <paramref name="server"/> was checked.</summary>
    public static TopologyDescription Apply(TopologyDescription topology, ServerDescription server)
    {
        var address = server.Address;
        if (!topology.Servers.TryGetValue(address, out var current))
        {
            // A server removed meanwhile: its late result is ignored.
            return topology;
        }

        if (IsStale(current, server))
        {
            return topology;
        }

        var next = topology with { Servers = topology.Servers.SetItem(address, server) };
        switch (topology.Type)
        {
            case TopologyType.LoadBalanced:
                return next;
            case TopologyType.Single:
                // directConnection: the server is used whatever it is, unless a replicaSet name was given that it
                // does not carry (then it is not selectable).
                return topology.SetName is { } name && server.IsKnown && server.Type != ServerType.Standalone && server.SetName != name
                    ? next with { Servers = next.Servers.SetItem(address, ServerDescription.Unknown(address, $"its setName is '{server.SetName}', not the replicaSet '{name}'")) }
                    : next;
            case TopologyType.Unknown:
                return server.Type switch
                {
                    ServerType.Standalone => topology.SingleSeed ? next with { Type = TopologyType.Single } : Remove(next, address),
                    ServerType.Mongos => next with { Type = TopologyType.Sharded },
                    ServerType.RSPrimary => FromPrimary(next with { Type = TopologyType.ReplicaSetWithPrimary }, server),
                    ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther => WithoutPrimary(next with { Type = TopologyType.ReplicaSetNoPrimary }, server),
                    _ => next,
                };
            case TopologyType.Sharded:
                return server.Type is ServerType.Unknown or ServerType.Mongos ? next : Remove(next, address);
            case TopologyType.ReplicaSetNoPrimary:
                return server.Type switch
                {
                    ServerType.Standalone or ServerType.Mongos => Remove(next, address),
                    ServerType.RSPrimary => FromPrimary(next, server),
                    ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther => WithoutPrimary(next, server),
                    _ => next,
                };
            default: // ReplicaSetWithPrimary
                return server.Type switch
                {
                    ServerType.Standalone or ServerType.Mongos => CheckIfHasPrimary(Remove(next, address)),
                    ServerType.RSPrimary => FromPrimary(next, server),
                    ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther => WithPrimaryFromMember(next, server),
                    _ => CheckIfHasPrimary(next),
                };
        }
    }

    /// <summary>
    /// Whether <paramref name="incoming"/> is older than what is known: the same process with a lower topologyVersion
    /// counter (a late reply, or an error about a state the server already left).
    /// </summary>
    public static bool IsStale(ServerDescription current, ServerDescription incoming) =>
        current.TopologyVersion is { } known && incoming.TopologyVersion is { } seen &&
        known.ProcessId == seen.ProcessId && seen.Counter < known.Counter;

    /// <summary>
    /// Whether a "not writable primary" / "node is recovering" error is stale and must be ignored
    /// (server-discovery-and-monitoring, "Error handling", topologyVersion comparison): the error names the same
    /// server process as the current description and its topologyVersion counter is not greater. Such an error
    /// reports a state the client has already seen (or left), so it must not mark the server Unknown again. An error
    /// or description without a topologyVersion is never stale by this rule.
    /// </summary>
    public static bool IsStaleError(ServerDescription current, (ObjectId ProcessId, long Counter)? errorVersion) =>
        current.TopologyVersion is { } known && errorVersion is { } seen &&
        known.ProcessId == seen.ProcessId && seen.Counter <= known.Counter;

    /// <summary>A secondary, arbiter or other member while no primary is known: adopt its set name and its host lists.</summary>
    private static TopologyDescription WithoutPrimary(TopologyDescription topology, ServerDescription server)
    {
        if (topology.SetName is null)
        {
            topology = topology with { SetName = server.SetName };
        }
        else if (topology.SetName != server.SetName)
        {
            return Remove(topology, server.Address);
        }

        topology = AddMembers(topology, server);
        return server.Me is { } me && me != server.Address ? Remove(topology, server.Address) : topology;
    }

    /// <summary>A non-primary member while a primary is known: only checked against the set name and its own address.</summary>
    private static TopologyDescription WithPrimaryFromMember(TopologyDescription topology, ServerDescription server)
    {
        if (topology.SetName != server.SetName || (server.Me is { } me && me != server.Address))
        {
            return CheckIfHasPrimary(Remove(topology, server.Address));
        }

        return CheckIfHasPrimary(topology);
    }

    /// <summary>
    /// A primary: refused when stale (its electionId, then setVersion, lower than the highest seen — MongoDB 6.0 and
    /// later order by electionId first), otherwise it demotes any other primary to Unknown and its host lists become
    /// the set's members (others are removed).
    /// </summary>
    private static TopologyDescription FromPrimary(TopologyDescription topology, ServerDescription primary)
    {
        if (topology.SetName is null)
        {
            topology = topology with { SetName = primary.SetName };
        }
        else if (topology.SetName != primary.SetName)
        {
            return CheckIfHasPrimary(Remove(topology, primary.Address));
        }

        if (primary.MaxWireVersion >= 17)
        {
            if (Compare(topology.MaxElectionId, primary.ElectionId) > 0 ||
                (Compare(topology.MaxElectionId, primary.ElectionId) == 0 && (topology.MaxSetVersion ?? -1) > (primary.SetVersion ?? -1)))
            {
                return StalePrimary(topology, primary);
            }

            topology = topology with { MaxElectionId = primary.ElectionId, MaxSetVersion = primary.SetVersion };
        }
        else
        {
            if (primary.SetVersion is { } setVersion && primary.ElectionId is { } electionId)
            {
                if (topology.MaxSetVersion > setVersion ||
                    (topology.MaxSetVersion == setVersion && Compare(topology.MaxElectionId, electionId) > 0))
                {
                    return StalePrimary(topology, primary);
                }

                topology = topology with { MaxElectionId = electionId };
            }

            if (primary.SetVersion is { } version && (topology.MaxSetVersion is null || version > topology.MaxSetVersion))
            {
                topology = topology with { MaxSetVersion = version };
            }
        }

        var servers = topology.Servers;
        foreach (var other in servers.Values)
        {
            if (other.Address != primary.Address && other.Type == ServerType.RSPrimary)
            {
                servers = servers.SetItem(other.Address, ServerDescription.Unknown(other.Address, "another member was elected primary"));
            }
        }

        topology = AddMembers(topology with { Servers = servers }, primary);
        var members = primary.Hosts.Concat(primary.Passives).Concat(primary.Arbiters).ToHashSet();
        foreach (var address in topology.Servers.Keys)
        {
            if (!members.Contains(address))
            {
                topology = topology with { Servers = topology.Servers.Remove(address) };
            }
        }

        return CheckIfHasPrimary(topology);
    }

    private static TopologyDescription StalePrimary(TopologyDescription topology, ServerDescription primary) =>
        CheckIfHasPrimary(topology with
        {
            Servers = topology.Servers.SetItem(primary.Address, ServerDescription.Unknown(primary.Address,
                "a stale primary: its electionId/setVersion is older than the newest seen")),
        });

    private static TopologyDescription AddMembers(TopologyDescription topology, ServerDescription server)
    {
        var servers = topology.Servers;
        foreach (var address in server.Hosts.Concat(server.Passives).Concat(server.Arbiters))
        {
            if (!servers.ContainsKey(address))
            {
                servers = servers.Add(address, ServerDescription.Unknown(address));
            }
        }

        return topology with { Servers = servers };
    }

    private static TopologyDescription CheckIfHasPrimary(TopologyDescription topology) =>
        topology with { Type = topology.Primary is null ? TopologyType.ReplicaSetNoPrimary : TopologyType.ReplicaSetWithPrimary };

    private static TopologyDescription Remove(TopologyDescription topology, MongoServerAddress address) =>
        topology with { Servers = topology.Servers.Remove(address) };

    /// <summary>Orders election ids, a missing one lowest.</summary>
    private static int Compare(ObjectId? left, ObjectId? right) =>
        left is null ? (right is null ? 0 : -1) : right is null ? 1 : left.Value.CompareTo(right.Value);
}
