namespace MongoAuth.Topology;

/// <summary>
/// Server selection (server-selection spec): the servers suitable for a write or for a read with a read
/// preference — staleness, then tag sets — then the latency window (the fastest round trip plus localThresholdMS).
/// Pure functions over a topology description, unit tested from the rules.
/// </summary>
internal static class ServerSelector
{
    /// <summary>The servers a write may go to, within the latency window.</summary>
    public static IReadOnlyList<ServerDescription> ForWrite(TopologyDescription topology, TimeSpan localThreshold) =>
        Window(topology.Type switch
        {
            TopologyType.Single or TopologyType.LoadBalanced => [.. topology.Servers.Values.Where(s => s.IsKnown)],
            TopologyType.Sharded => [.. topology.Servers.Values.Where(s => s.Type == ServerType.Mongos)],
            TopologyType.ReplicaSetWithPrimary => [.. topology.Servers.Values.Where(s => s.Type == ServerType.RSPrimary)],
            _ => [],
        }, localThreshold);

    /// <summary>The servers a read with <paramref name="preference"/> may go to, within the latency window.</summary>
    public static IReadOnlyList<ServerDescription> ForRead(TopologyDescription topology, ReadPreference preference, TimeSpan localThreshold, TimeSpan heartbeatFrequency)
    {
        switch (topology.Type)
        {
            case TopologyType.Single or TopologyType.LoadBalanced:
                return [.. topology.Servers.Values.Where(s => s.IsKnown)];
            case TopologyType.Sharded:
                return Window([.. topology.Servers.Values.Where(s => s.Type == ServerType.Mongos)], localThreshold);
            case TopologyType.Unknown:
                return [];
        }

        var primary = topology.Primary;
        List<ServerDescription> Secondaries() => Tagged(Fresh(topology, preference, heartbeatFrequency,
            [.. topology.Servers.Values.Where(s => s.Type == ServerType.RSSecondary)]), preference);
        List<ServerDescription> suitable = preference.Mode switch
        {
            ReadPreferenceMode.Primary => primary is null ? [] : [primary],
            ReadPreferenceMode.PrimaryPreferred => primary is null ? Secondaries() : [primary],
            ReadPreferenceMode.Secondary => Secondaries(),
            ReadPreferenceMode.SecondaryPreferred => Secondaries() is { Count: > 0 } secondaries ? secondaries : primary is null ? [] : [primary],
            _ => Tagged(Fresh(topology, preference, heartbeatFrequency,
                [.. topology.Servers.Values.Where(s => s.Type is ServerType.RSPrimary or ServerType.RSSecondary)]), preference),
        };
        return Window(suitable, localThreshold);
    }

    /// <summary>
    /// The staleness of a secondary (server-selection, "maxStalenessSeconds"): with a primary, how far its last write
    /// trails the primary's, each measured against when it was checked, plus heartbeatFrequencyMS; without one, how far
    /// it trails the freshest secondary, plus heartbeatFrequencyMS.
    /// </summary>
    public static TimeSpan Staleness(ServerDescription server, ServerDescription? primary, ServerDescription? freshest, TimeSpan heartbeatFrequency)
    {
        var lastWrite = server.LastWriteDate ?? server.LastUpdateTime;
        if (primary is not null)
        {
            var primaryWrite = primary.LastWriteDate ?? primary.LastUpdateTime;
            return server.LastUpdateTime - lastWrite - (primary.LastUpdateTime - primaryWrite) + heartbeatFrequency;
        }

        return (freshest?.LastWriteDate ?? lastWrite) - lastWrite + heartbeatFrequency;
    }

    private static List<ServerDescription> Fresh(TopologyDescription topology, ReadPreference preference, TimeSpan heartbeatFrequency, List<ServerDescription> candidates)
    {
        if (preference.MaxStaleness is not { } limit)
        {
            return candidates;
        }

        var primary = topology.Primary;
        var freshest = topology.Servers.Values.Where(s => s.Type == ServerType.RSSecondary).MaxBy(s => s.LastWriteDate ?? DateTime.MinValue);
        return [.. candidates.Where(s => s.Type == ServerType.RSPrimary || Staleness(s, primary, freshest, heartbeatFrequency) <= limit)];
    }

    /// <summary>The first tag set that matches some candidate picks the candidates; none matching leaves none.</summary>
    private static List<ServerDescription> Tagged(List<ServerDescription> candidates, ReadPreference preference)
    {
        if (preference.TagSets.Count == 0)
        {
            return candidates;
        }

        foreach (var set in preference.TagSets)
        {
            var matching = candidates.Where(s => set.All(t => s.Tags.TryGetValue(t.Key, out var value) && value == t.Value)).ToList();
            if (matching.Count > 0)
            {
                return matching;
            }
        }

        return [];
    }

    /// <summary>The servers whose round trip is within localThresholdMS of the fastest.</summary>
    private static List<ServerDescription> Window(List<ServerDescription> suitable, TimeSpan localThreshold)
    {
        if (suitable.Count <= 1)
        {
            return suitable;
        }

        var fastest = suitable.Min(s => s.RoundTripTime ?? TimeSpan.Zero);
        return [.. suitable.Where(s => (s.RoundTripTime ?? TimeSpan.Zero) <= fastest + localThreshold)];
    }
}
