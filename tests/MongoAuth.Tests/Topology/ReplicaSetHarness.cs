using MongoAuth.Operations;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Topology;
using MongoDB.Bson;

namespace MongoAuth.Tests.Topology;

/// <summary>A test-server replica set and clients for it, with operations through the cluster's seams in either mode.</summary>
internal static class ReplicaSetHarness
{
    public static Task<MongoTestReplicaSet> StartAsync(int members = 3, bool arbiter = false, int hidden = 0,
        IReadOnlyList<IReadOnlyDictionary<string, string>>? tags = null) =>
        MongoTestReplicaSet.StartAsync(new ReplicaSetOptions
        {
            Members = members,
            Arbiter = arbiter,
            HiddenMembers = hidden,
            Tags = tags ?? [],
            Server = new TestServerOptions { RequireAuthentication = false },
        }, default);

    /// <summary>Client settings for the set: every listed member as a seed, the set name, quick heartbeats.</summary>
    public static MongoClientSettings Settings(MongoTestReplicaSet set, TimeSpan? serverSelectionTimeout = null) =>
        MongoClientSettings.FromConnectionString(set.ConnectionString) with
        {
            HeartbeatFrequency = TimeSpan.FromMilliseconds(500),
            ServerSelectionTimeout = serverSelectionTimeout ?? TimeSpan.FromSeconds(15),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };

    /// <summary>
    /// Runs <paramref name="operation"/> in <paramref name="mode"/>: synchronously the task must be complete on return
    /// (the whole path blocked the calling thread), asynchronously it is awaited.
    /// </summary>
    public static async Task<T> InMode<T>(Mode mode, Func<OperationContext, Task<T>> operation)
    {
        var context = OperationContext.Start(mode == Mode.Async, CancellationToken.None);
        var task = operation(context);
        if (mode == Mode.Sync)
        {
            Assert.True(task.IsCompleted, "a synchronous operation must finish before it returns");
        }

        return await task;
    }

    /// <summary>A retryable insert of one document (lsid + txnNumber, as the data API sends it).</summary>
    public static Task<BsonDocument> InsertAsync(MongoClient client, Mode mode, BsonDocument lsid, long txnNumber, BsonDocument document) =>
        InMode(mode, context => client.Cluster.ExecuteWriteAsync(
            (connection, c) => connection.RunCommandAsync("app", new BsonDocument
            {
                { "insert", "items" }, { "documents", new BsonArray { document } }, { "lsid", lsid }, { "txnNumber", txnNumber },
            }, c),
            retryable: true, context));

    /// <summary>A find through the read seam; returns the server that answered.</summary>
    public static Task<MongoServerAddress> FindAsync(MongoClient client, Mode mode) =>
        InMode(mode, context => client.Cluster.ExecuteReadAsync(async (connection, c) =>
        {
            await connection.RunCommandAsync("app", new BsonDocument { { "find", "items" }, { "filter", new BsonDocument() } }, c).ConfigureAwait(false);
            return connection.Server;
        }, context));

    public static BsonDocument NewSession() => new("id", new BsonBinaryData(Guid.NewGuid(), GuidRepresentation.Standard));

    /// <summary>Waits (up to 15 s) until the client's topology satisfies <paramref name="condition"/>.</summary>
    public static async Task<MongoAuth.Topology.TopologyDescription> WaitForAsync(MongoClient client, Func<MongoAuth.Topology.TopologyDescription, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (client.Topology is { } topology && condition(topology))
            {
                return topology;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the topology did not change as expected; it is {client.Topology}");
            await Task.Delay(50);
        }
    }

    public static MongoServerAddress Address(string hostAndPort) => MongoAuth.Topology.ServerDescription.ParseAddress(hostAndPort);

}
