using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Protocol;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Topology;

/// <summary>
/// What a server is beyond a standalone mongod: a replica-set member or a mongos. It shapes hello, decides which
/// commands the server may run in its current state (a secondary refuses writes), and keeps the retryable-write
/// results shared by every server of the deployment.
/// </summary>
internal abstract class ServerRole
{
    /// <summary>The commands that change data: refused by a secondary with NotWritablePrimary (10107).</summary>
    private static readonly HashSet<string> Writes = new(StringComparer.Ordinal)
    {
        "insert", "update", "delete", "findAndModify", "findandmodify", "create", "drop", "dropDatabase",
        "createIndexes", "dropIndexes", "deleteIndexes", "renameCollection",
    };

    /// <summary>Reads a secondary serves only when the client allows it (<c>$readPreference</c> other than primary).</summary>
    private static readonly HashSet<string> Reads = new(StringComparer.Ordinal)
    {
        "find", "count", "distinct", "aggregate", "listCollections", "listIndexes", "listDatabases", "dbStats", "collStats",
    };

    protected ServerRole(DeploymentState deployment) => Deployment = deployment;

    /// <summary>The state every server of the deployment shares (topology counter, retryable writes).</summary>
    public DeploymentState Deployment { get; }

    /// <summary>Adds the role's fields to a hello reply (replacing isWritablePrimary/ismaster as the role says).</summary>
    public abstract void AddHelloFields(BsonDocument reply, string writableField);

    /// <summary>Whether this server accepts writes now.</summary>
    protected abstract bool IsWritable { get; }

    /// <summary>Whether this server holds data (an arbiter does not).</summary>
    protected virtual bool HoldsData => true;

    /// <summary>Whether <paramref name="name"/> is a write command.</summary>
    public static bool IsWrite(string name) => Writes.Contains(name);

    /// <summary>
    /// Refuses a data command the server cannot run in its state, with mongod's codes: 10107 NotWritablePrimary for a
    /// write on a non-primary, 13435 NotPrimaryNoSecondaryOk for a read without a read preference that allows secondaries.
    /// </summary>
    public void Check(ServerRequest request)
    {
        if (!HoldsData && (Writes.Contains(request.Name) || Reads.Contains(request.Name)))
        {
            throw new ServerCommandException(10107, "NotWritablePrimary", "not primary (an arbiter holds no data)");
        }

        if (IsWritable)
        {
            return;
        }

        if (Writes.Contains(request.Name))
        {
            throw new ServerCommandException(10107, "NotWritablePrimary", "not primary");
        }

        if (Reads.Contains(request.Name) && !AllowsSecondary(request))
        {
            throw new ServerCommandException(13435, "NotPrimaryNoSecondaryOk", "not primary and secondaryOk=false");
        }
    }

    /// <summary>An OP_MSG command may read from a secondary when its <c>$readPreference</c> mode is not primary.</summary>
    private static bool AllowsSecondary(ServerRequest request) =>
        request.Command.TryGetValue("$readPreference", out var preference) && preference is BsonDocument document &&
        document.GetValue("mode", "primary") is BsonString { Value: not "primary" };
}
