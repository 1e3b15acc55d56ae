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

    /// <summary>
    /// Adds what depends on the connection and on the client's hello (a load balancer's <c>serviceId</c>); nothing
    /// by default.
    /// </summary>
    public virtual void AddHandshakeFields(BsonDocument reply, BsonDocument command, long connectionId)
    {
    }

    /// <summary>Checks a data command against the connection it came on (a load balancer's cursor ownership); nothing by default.</summary>
    public virtual void CheckConnection(ServerRequest request, long connectionId)
    {
    }

    /// <summary>Sees a data command's reply fields before they go out (a load balancer notes which connection opened a cursor).</summary>
    public virtual void OnReply(ServerRequest request, BsonDocument reply, long connectionId)
    {
    }

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

    /// <summary>
    /// Adds the <c>RetryableWriteError</c> label, as mongod 4.4 and later do, to a failed write that carries
    /// <c>txnNumber</c> when its code says the server's state changed (not primary, shutting down, stepping down).
    /// </summary>
    /// A state-change error also carries the server's topologyVersion, as mongod's do, so drivers can tell it from a
    /// stale one.
    public void LabelRetryableWriteError(BsonDocument error, ServerRequest request, ObjectId processId)
    {
        var code = error.GetValue("code", 0).ToInt32();
        if (code is 10107 or 13435 or 11600 or 11602 or 13436 or 189 or 91)
        {
            error["topologyVersion"] = new BsonDocument { { "processId", processId }, { "counter", Deployment.Counter } };
        }

        if (request.Command.Contains("txnNumber") && Writes.Contains(request.Name) &&
            code is 10107 or 13435 or 11600 or 11602 or 13436 or 189 or 91 or 7 or 6 or 89 or 9001 or 262)
        {
            error["errorLabels"] = new BsonArray { "RetryableWriteError" };
        }
    }

    /// <summary>An OP_MSG command may read from a secondary when its <c>$readPreference</c> mode is not primary.</summary>
    private static bool AllowsSecondary(ServerRequest request) =>
        request.Command.TryGetValue("$readPreference", out var preference) && preference is BsonDocument document &&
        document.GetValue("mode", "primary") is BsonString { Value: not "primary" };
}
