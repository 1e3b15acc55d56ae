using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Connections;
using MongoAuth.TestServer.Protocol;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands;

/// <summary>hello / isMaster: a standalone mongod's reply, with saslSupportedMechs and speculative authentication.</summary>
internal static class HelloCommand
{
    public static async ValueTask<BsonDocument> HandleAsync(MongoTestServer server, ConnectionSession session,
        ServerRequest request, CancellationToken cancellationToken)
    {
        var command = request.Command;
        var counter = server.Role?.Deployment.Counter ?? 0;
        if (AwaitTime(server, command, counter) is { } wait)
        {
            // An awaitable hello (SDAM streaming protocol): answered when the topology changes (a replica set's
            // election, a member stopping) or when maxAwaitTimeMS has passed, as mongod does. A standalone never changes.
            if (server.Role is { } role)
            {
                await role.Deployment.WaitForChangeAsync(counter, wait, cancellationToken).ConfigureAwait(false);
                counter = role.Deployment.Counter;
            }
            else
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        if (session.AppName is null && command.TryGetValue("client", out var client) && client.IsBsonDocument &&
            client.AsBsonDocument.TryGetValue("application", out var application) && application.IsBsonDocument &&
            application.AsBsonDocument.TryGetValue("name", out var appName) && appName.IsString)
        {
            session.AppName = appName.AsString;
        }

        var reply = new BsonDocument();
        if (command.GetValue("helloOk", false).ToBoolean())
        {
            reply["helloOk"] = true;
        }

        var writableField = request.Name == "hello" ? "isWritablePrimary" : "ismaster";
        reply[writableField] = true;
        // The process id and a counter (a standalone's stays 0; a replica set's rises on every change). Drivers that
        // see it monitor with awaitable hellos (and exhaust), which this server serves.
        server.Role?.AddHelloFields(reply, writableField);
        server.Role?.AddHandshakeFields(reply, command, session.ConnectionId);
        reply["topologyVersion"] = new BsonDocument { { "processId", server.ProcessId }, { "counter", counter } };
        reply["maxBsonObjectSize"] = WireLimits.DefaultMaxDocumentSize;
        reply["maxMessageSizeBytes"] = server.Options.MaxMessageSizeBytes;
        reply["maxWriteBatchSize"] = server.Options.MaxWriteBatchSize;
        reply["localTime"] = new BsonDateTime(DateTime.UtcNow);
        if (server.Options.LogicalSessionTimeoutMinutes is { } sessionTimeout)
        {
            reply["logicalSessionTimeoutMinutes"] = sessionTimeout;
        }
        // mongod sends the connection id as a 32-bit integer.
        reply["connectionId"] = unchecked((int)session.ConnectionId);
        reply["minWireVersion"] = 0;
        reply["maxWireVersion"] = server.Options.MaxWireVersion;
        reply["readOnly"] = false;
        if (command.TryGetValue("saslSupportedMechs", out var userName) && userName.IsString &&
            SupportedMechanisms(server, userName.AsString) is { } mechanisms)
        {
            reply["saslSupportedMechs"] = mechanisms;
        }

        if (server.Options.AnswerSpeculativeAuthentication &&
            command.TryGetValue("speculativeAuthenticate", out var speculative) && speculative.IsBsonDocument &&
            await SpeculateAsync(server, session, speculative.AsBsonDocument, cancellationToken).ConfigureAwait(false)
                is { } speculativeReply)
        {
            reply["speculativeAuthenticate"] = speculativeReply;
        }

        return reply;
    }

    /// <summary>
    /// Whether <paramref name="command"/> is an awaitable hello: one with <c>topologyVersion</c> and
    /// <c>maxAwaitTimeMS</c>. Only those may be answered as an exhaust stream.
    /// </summary>
    public static bool IsAwaitable(BsonDocument command) =>
        command.TryGetValue("topologyVersion", out var version) && version.IsBsonDocument &&
        command.TryGetValue("maxAwaitTimeMS", out var wait) && wait.IsNumeric;

    /// <summary>
    /// How long an awaitable hello waits: maxAwaitTimeMS when the client's topologyVersion is this server's current
    /// one, nothing when it is another process's or an older counter (the client is behind, so it is answered at once).
    /// </summary>
    private static TimeSpan? AwaitTime(MongoTestServer server, BsonDocument command, long currentCounter)
    {
        if (!IsAwaitable(command))
        {
            return null;
        }

        var version = command["topologyVersion"].AsBsonDocument;
        var current = version.GetValue("processId", BsonNull.Value) is BsonObjectId processId &&
            processId.Value == server.ProcessId && version.GetValue("counter", BsonNull.Value) is { IsNumeric: true } counter &&
            counter.ToInt64() == currentCounter;
        var milliseconds = command["maxAwaitTimeMS"].ToInt64();
        return current && milliseconds > 0 ? TimeSpan.FromMilliseconds(milliseconds) : null;
    }

    /// <summary>The mechanisms of <c>"db.user"</c>, or null when there is no such user (mongod omits the field).</summary>
    private static BsonArray? SupportedMechanisms(MongoTestServer server, string qualifiedName)
    {
        var dot = qualifiedName.IndexOf('.', StringComparison.Ordinal);
        var user = dot < 0 ? null : server.Users.Find(qualifiedName[..dot], qualifiedName[(dot + 1)..]);
        return user is null ? null : new BsonArray(user.Mechanisms);
    }

    /// <summary>
    /// Runs the first step of the embedded saslStart or authenticate. A failure leaves the field out of the reply,
    /// as mongod does, so the client falls back to a normal conversation.
    /// </summary>
    private static async ValueTask<BsonDocument?> SpeculateAsync(MongoTestServer server, ConnectionSession session,
        BsonDocument speculative, CancellationToken cancellationToken)
    {
        var database = speculative.GetValue("db", "$external");
        try
        {
            if (speculative.Contains("saslStart") && database.IsString)
            {
                return await SaslCommands.StartAsync(server, session, speculative, database.AsString, cancellationToken)
                    .ConfigureAwait(false);
            }

            if (speculative.Contains("authenticate"))
            {
                return AuthenticateCommand.Handle(server, session, speculative);
            }
        }
        catch (ServerCommandException)
        {
        }

        return null;
    }
}
