using MongoAuth.Tests.Support;
using MongoDB.Bson;
using static MongoAuth.Tests.Topology.ReplicaSetHarness;

namespace MongoAuth.Tests.Topology;

/// <summary>
/// Elections forced the way drivers' own tests force them on mongod: <c>configureFailPoint</c> (failCommand) on the
/// primary — the connection dropped, a shutdown error, a held command that then fails as not primary — and
/// <c>replSetStepDown</c>, all sent over the wire. With retryable writes on, no write of the loop fails.
/// </summary>
public sealed class FailPointElectionTests
{
    /// <summary>What the primary does to the next insert after holding it 400 ms (meanwhile it steps down).</summary>
    private static readonly BsonDocument[] Failures =
    [
        new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "blockConnection", true }, { "blockTimeMS", 400 }, { "closeConnection", true } },
        new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "blockConnection", true }, { "blockTimeMS", 400 }, { "errorCode", 91 } }, // ShutdownInProgress
        new BsonDocument { { "failCommands", new BsonArray { "insert" } }, { "blockConnection", true }, { "blockTimeMS", 400 }, { "errorCode", 10107 } },
    ];

    [Theory, BothModes]
    public async Task Writes_across_fail_point_elections_all_succeed_once_each(Mode mode)
    {
        await using var set = await StartAsync(members: 3);
        await using var client = new MongoClient(Settings(set));
        var lsid = NewSession();
        const int writes = 90;
        var failed = new List<string>();
        for (var i = 0; i < writes; i++)
        {
            var election = i % 30 == 10 ? await ForceElectionAsync(set, mode, Failures[i / 30]) : Task.CompletedTask;
            try
            {
                var reply = await InsertAsync(client, mode, lsid, i + 1, new BsonDocument("_id", i));
                Assert.Equal(1, reply["n"].ToInt32());
            }
            catch (MongoException e)
            {
                failed.Add($"{i}: {e}");
            }

            await election;
        }

        Assert.True(failed.Count == 0, string.Join("\n", failed));
        var count = await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("count", "items"));
        Assert.Equal(writes, count["n"].ToInt32()); // each write landed exactly once
        Assert.Equal(3, set.Member(0)!.Statistics.CommandsReceived("configureFailPoint") + set.Member(1)!.Statistics.CommandsReceived("configureFailPoint") + set.Member(2)!.Statistics.CommandsReceived("configureFailPoint"));
    }

    /// <summary>
    /// Arms the fail point on the current primary (once, for the next insert), then — while that insert is held — makes
    /// the primary step down, through direct connections and the commands mongod understands. The client learns of
    /// neither in advance: its insert fails on the old primary and its retry must find the new one.
    /// </summary>
    private static async Task<Task> ForceElectionAsync(MongoAuth.TestServer.Topology.MongoTestReplicaSet set, Mode mode, BsonDocument data)
    {
        var primary = set.PrimaryIndex!.Value;
        var settings = Settings(set) with { Servers = [Address(set.Addresses[primary])], ReplicaSetName = null, DirectConnection = true };
        var direct = new MongoClient(settings);
        await direct.GetDatabase("admin").RunCommandIn(mode, new BsonDocument
        {
            { "configureFailPoint", "failCommand" }, { "mode", new BsonDocument("times", 1) }, { "data", data },
        });
        return Task.Run(async () =>
        {
            await using (direct)
            {
                await Task.Delay(150);
                await direct.GetDatabase("admin").RunCommandAsync(new BsonDocument("replSetStepDown", 60));
                Assert.NotEqual(primary, set.PrimaryIndex);
            }
        });
    }
}
