using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Connections;
using MongoAuth.TestServer.Data;
using MongoAuth.TestServer.Protocol;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands.Data;

/// <summary>
/// The data commands of the in-memory store, by name. The dispatcher calls <see cref="Run"/> for any command it
/// does not know itself; a <see cref="DataException"/> becomes the command's <c>{ok: 0}</c> error.
/// </summary>
internal static class DataCommands
{
    private static readonly Dictionary<string, Func<DataCommandContext, BsonDocument>> Handlers = new(StringComparer.Ordinal)
    {
        ["insert"] = WriteCommands.Insert,
        ["update"] = WriteCommands.Update,
        ["delete"] = WriteCommands.Delete,
        ["findAndModify"] = FindAndModifyCommand.Run,
        ["findandmodify"] = FindAndModifyCommand.Run,
        ["find"] = ReadCommands.Find,
        ["getMore"] = ReadCommands.GetMore,
        ["killCursors"] = ReadCommands.KillCursors,
        ["count"] = ReadCommands.Count,
        ["distinct"] = ReadCommands.Distinct,
        ["aggregate"] = ReadCommands.Aggregate,
        ["create"] = CatalogCommands.Create,
        ["drop"] = CatalogCommands.Drop,
        ["dropDatabase"] = CatalogCommands.DropDatabase,
        ["listCollections"] = CatalogCommands.ListCollections,
        ["listDatabases"] = CatalogCommands.ListDatabases,
        ["createIndexes"] = CatalogCommands.CreateIndexes,
        ["listIndexes"] = CatalogCommands.ListIndexes,
        ["dropIndexes"] = CatalogCommands.DropIndexes,
        ["deleteIndexes"] = CatalogCommands.DropIndexes,
    };

    /// <summary>The reply fields of a data command, or null when <paramref name="request"/> is not one.</summary>
    public static BsonDocument? Run(MongoTestServer server, ConnectionSession session, ServerRequest request)
    {
        if (!Handlers.TryGetValue(request.Name, out var handler))
        {
            return null;
        }

        try
        {
            var context = new DataCommandContext(server, session, request.Command, request.Database);
            if (server.Role is { } role)
            {
                // A replica-set member or mongos: refuse what its state forbids (a secondary's writes), and run a
                // write carrying txnNumber once per session and number (retryable writes).
                role.Check(request);
                role.CheckConnection(request, session.ConnectionId);
                if (request.Command.Contains("autocommit") || request.Command.Contains("startTransaction"))
                {
                    throw new DataException(263, "OperationNotSupportedInTransaction", "The test server does not run multi-document transactions");
                }

                if (request.Command.Contains("txnNumber") && Topology.ServerRole.IsWrite(request.Name))
                {
                    return role.Deployment.RunRetryableWrite(request.Command, () => handler(context));
                }

                var reply = handler(context);
                role.OnReply(request, reply, session.ConnectionId);
                if (Topology.ServerRole.IsWrite(request.Name))
                {
                    role.Deployment.Wrote();
                }

                return reply;
            }

            // hello describes a standalone (no setName, not mongos): like such a mongod, refuse what only replica
            // sets and mongos support, rather than silently pretending writes are retryable or transactional.
            if (request.Command.Contains("txnNumber") || request.Command.Contains("autocommit") ||
                request.Command.Contains("startTransaction"))
            {
                throw new DataException(20, "IllegalOperation",
                    "Transaction numbers are only allowed on a replica set member or mongos");
            }

            return handler(context);
        }
        catch (DataException e)
        {
            throw new ServerCommandException(e.Code, e.CodeName, e.Message);
        }
    }
}
