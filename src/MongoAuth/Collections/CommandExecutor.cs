using MongoAuth.Connections;
using MongoAuth.Cursors;
using MongoAuth.Diagnostics;
using MongoAuth.Operations;
using MongoAuth.Sessions;
using MongoAuth.Topology;
using MongoAuth.Wire;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Collections;

/// <summary>
/// A reply and the server that sent it (a cursor must go back to that server), with the connection a cursor it opened
/// keeps in load-balanced mode (null otherwise).
/// </summary>
internal readonly record struct CommandReply(BsonDocument Reply, MongoServerAddress Server, PinnedConnection? Pin = null);

/// <summary>
/// Runs the data API's commands through the cluster's seams: reads through <see cref="Cluster.ExecuteReadAsync"/>,
/// writes through <see cref="Cluster.ExecuteWriteAsync"/>, cursor follow-ups through
/// <see cref="Cluster.ExecuteOnServerAsync"/>, each inside the client's operation telemetry (one span and one duration
/// per operation, retries included). The command is built afresh for every attempt (a retry may run on another
/// connection) and gets the operation's implicit session there.
/// </summary>
internal sealed class CommandExecutor(MongoClient client)
{
    public MongoClient Client => client;

    public ServerSessionPool Sessions => client.Sessions;

    public OperationContext Start(bool runAsync, CancellationToken cancellationToken) =>
        OperationContext.Start(runAsync, cancellationToken, client.Settings.Timeout);

    /// <summary>
    /// A read; <paramref name="replySerializer"/> reads the reply when given (a cursor's <see cref="CursorReplySerializer{T}"/>,
    /// which reads the batch into the application's type as the reply is decoded).
    /// </summary>
    public async Task<CommandReply> ReadAsync(OperationTarget target, Func<Connection, BsonDocument> build, ImplicitSession session, OperationContext context,
        IBsonSerializer<BsonDocument>? replySerializer = null)
    {
        var database = target.Database;
        try
        {
            return await client.Telemetry.ExecuteAsync(
                target,
                client.Cluster.ExecuteReadAsync,
                async (connection, attempt) =>
                {
                    var command = build(connection);
                    session.Apply(command, connection);
                    var reply = await (replySerializer is not null
                        ? connection.RunCommandAsync(database, command, replySerializer, attempt)
                        : connection.RunCommandAsync(database, command, attempt)).ConfigureAwait(false);
                    return new CommandReply(reply, connection.Server, client.Cluster.PinForCursor(connection, reply));
                },
                context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            session.OnError(e);
            throw;
        }
    }

    /// <summary>
    /// A write; unless <paramref name="acknowledged"/>, it is sent with <c>moreToCome</c> and no reply is awaited (the
    /// returned reply is just <c>{ok: 1}</c>).
    /// </summary>
    public async Task<CommandReply> WriteAsync(OperationTarget target, Func<Connection, (BsonDocument Command, DocumentSequenceWriter? Sequence)> build,
        ImplicitSession? session, bool retryable, OperationContext context, bool acknowledged = true)
    {
        var database = target.Database;
        try
        {
            return await client.Telemetry.ExecuteAsync(
                target,
                (operation, attemptContext) => client.Cluster.ExecuteWriteAsync(operation, retryable, attemptContext),
                async (connection, attempt) =>
                {
                    var (command, sequence) = build(connection);
                    session?.Apply(command, connection, retryable);
                    if (!acknowledged)
                    {
                        await connection.SendUnacknowledgedAsync(database, command, sequence, attempt).ConfigureAwait(false);
                        return new CommandReply(new BsonDocument("ok", 1), connection.Server);
                    }

                    var reply = await connection.RunCommandAsync(database, command, sequence, attempt).ConfigureAwait(false);
                    return new CommandReply(reply, connection.Server, client.Cluster.PinForCursor(connection, reply));
                },
                context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            session?.OnError(e);
            throw;
        }
    }

    /// <summary>
    /// Runs a cursor's getMore or killCursors on the server that owns the cursor, or on the connection the cursor is
    /// pinned to (<paramref name="pin"/>, load-balanced mode); <paramref name="replySerializer"/> as for <see cref="ReadAsync"/>.
    /// </summary>
    public async Task<BsonDocument> OnServerAsync(MongoServerAddress server, PinnedConnection? pin, string database, BsonDocument command, ImplicitSession session, OperationContext context,
        IBsonSerializer<BsonDocument>? replySerializer = null)
    {
        try
        {
            return await client.Telemetry.ExecuteAsync(
                OperationTarget.ForCommand(database, command),
                (operation, attemptContext) => pin is null
                    ? client.Cluster.ExecuteOnServerAsync(server, operation, attemptContext)
                    : client.Cluster.ExecuteOnPinnedAsync(pin, operation, attemptContext),
                (connection, attempt) =>
                {
                    session.Apply(command, connection);
                    return replySerializer is not null
                        ? connection.RunCommandAsync(database, command, replySerializer, attempt)
                        : connection.RunCommandAsync(database, command, attempt);
                },
                context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            session.OnError(e);
            throw;
        }
    }
}
