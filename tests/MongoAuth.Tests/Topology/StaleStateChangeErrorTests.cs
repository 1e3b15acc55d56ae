using System.Collections.Concurrent;
using MongoAuth.Tests.Support;
using MongoAuth.Topology;
using MongoDB.Bson;
using static MongoAuth.Tests.Topology.ReplicaSetHarness;

namespace MongoAuth.Tests.Topology;

/// <summary>
/// A "not writable primary" / "node is recovering" error carries the server's topologyVersion; one that is not newer
/// than the description the client holds reports a state already seen and must be ignored
/// (server-discovery-and-monitoring, "Error handling"). Cases written from that rule.
/// </summary>
public sealed class StaleStateChangeErrorTests
{
    private static readonly MongoServerAddress A = new("a", 27017);
    private static readonly ObjectId Process = new("000000000000000000000001");
    private static readonly ObjectId Restarted = new("000000000000000000000002");

    private static ServerDescription Known(ObjectId process, long counter) =>
        ServerDescription.Unknown(A) with { Type = ServerType.RSPrimary, TopologyVersion = (process, counter) };

    [Fact]
    public void An_error_from_the_same_process_with_an_older_or_equal_counter_is_stale()
    {
        Assert.True(TopologyRules.IsStaleError(Known(Process, 5), (Process, 4)));
        Assert.True(TopologyRules.IsStaleError(Known(Process, 5), (Process, 5)));
    }

    [Fact]
    public void A_newer_counter_another_process_or_a_missing_version_is_not_stale()
    {
        Assert.False(TopologyRules.IsStaleError(Known(Process, 5), (Process, 6)));
        Assert.False(TopologyRules.IsStaleError(Known(Process, 5), (Restarted, 1)));
        Assert.False(TopologyRules.IsStaleError(Known(Process, 5), null));
        Assert.False(TopologyRules.IsStaleError(ServerDescription.Unknown(A), (Process, 1)));
    }

    [Fact]
    public void The_version_is_read_from_an_error_reply()
    {
        var reply = new BsonDocument
        {
            { "ok", 0 }, { "code", 10107 }, { "errmsg", "not primary" },
            { "topologyVersion", new BsonDocument { { "processId", Process }, { "counter", 7L } } },
        };

        Assert.Equal((Process, 7L), ServerDescription.ParseTopologyVersion(reply));
        Assert.Null(ServerDescription.ParseTopologyVersion(new BsonDocument { { "ok", 0 }, { "code", 10107 } }));
        Assert.Null(ServerDescription.ParseTopologyVersion(new BsonDocument("topologyVersion", new BsonDocument("counter", 1))));
        Assert.Null(ServerDescription.ParseTopologyVersion(null));
    }

    /// <summary>
    /// The primary answers one insert with 10107 through a fail point without any election: the error's
    /// topologyVersion is the one the client's monitor already holds, so the primary must stay the primary (no
    /// description change to Unknown) and the retry lands on it.
    /// </summary>
    [Theory, BothModes]
    public async Task A_not_writable_primary_error_without_a_state_change_leaves_the_primary_known(Mode mode)
    {
        await using var set = await StartAsync(members: 3);
        var changes = new ConcurrentQueue<ServerDescriptionChangedEvent>();
        await using var client = new MongoClient(Settings(set) with
        {
            TopologyEventHandler = e =>
            {
                if (e is ServerDescriptionChangedEvent change)
                {
                    changes.Enqueue(change);
                }
            },
        });
        var primary = Address(set.Addresses[0]);
        await client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument
        {
            { "configureFailPoint", "failCommand" }, { "mode", new BsonDocument("times", 1) },
            { "data", new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "errorCode", 10107 } } },
        });
        await WaitForAsync(client, t => t.Primary?.Address == primary && t.Primary.TopologyVersion is not null);
        changes.Clear();

        var reply = await InsertAsync(client, mode, NewSession(), 1, new BsonDocument("_id", 1));

        Assert.Equal(1, reply["n"].ToInt32());
        Assert.Equal(2, set.Member(0)!.Statistics.CommandsReceived("insert")); // the failed one and its retry, both on the primary
        Assert.DoesNotContain(changes, c => c.Address == primary && !c.New.IsKnown);
        Assert.Equal(primary, client.Topology!.Primary?.Address);
    }
}
