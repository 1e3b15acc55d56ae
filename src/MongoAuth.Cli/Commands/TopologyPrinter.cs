using System.Globalization;
using MongoAuth.Topology;

namespace MongoAuth.Cli.Commands;

/// <summary>Prints the topology a client discovered: its type and set name, then each server with its role and round trip.</summary>
internal static class TopologyPrinter
{
    /// <summary>
    /// Waits (at most <paramref name="settle"/>) until every server of the client's topology has been checked once,
    /// then prints it.
    /// </summary>
    public static async Task PrintAsync(MongoClient client, TextWriter output, TimeSpan settle, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settle;
        while (client.Topology is { } pending && pending.Servers.Values.Any(s => !s.IsKnown && s.Error is null) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        if (client.Topology is not { } topology)
        {
            return;
        }

        await output.WriteLineAsync($"topology {topology.Type}{(topology.SetName is null ? "" : $", set '{topology.SetName}'")}").ConfigureAwait(false);
        foreach (var server in topology.Servers.Values.OrderBy(s => Rank(s.Type)).ThenBy(s => s.Address.ToString(), StringComparer.Ordinal))
        {
            var rtt = server.RoundTripTime is { } r ? string.Create(CultureInfo.InvariantCulture, $"rtt {r.TotalMilliseconds:0.0} ms") : "rtt n/a";
            var detail = server.Error is { } error ? $"  ({error})" : "";
            await output.WriteLineAsync($"        {Role(server.Type),-10} {server.Address,-24} {rtt}{detail}").ConfigureAwait(false);
        }
    }

    private static int Rank(ServerType type) => type switch
    {
        ServerType.RSPrimary or ServerType.Standalone or ServerType.Mongos or ServerType.LoadBalancer => 0,
        ServerType.RSSecondary => 1,
        _ => 2,
    };

    private static string Role(ServerType type) => type switch
    {
        ServerType.RSPrimary => "primary",
        ServerType.RSSecondary => "secondary",
        ServerType.RSArbiter => "arbiter",
        ServerType.RSOther => "other",
        ServerType.RSGhost => "ghost",
        ServerType.Mongos => "mongos",
        ServerType.Standalone => "standalone",
        ServerType.LoadBalancer => "balancer",
        _ => "unknown",
    };
}
