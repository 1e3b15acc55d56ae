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

        // No topologyVersion: the server does not offer the streaming (exhaust) monitoring protocol.
        reply[request.Name == "hello" ? "isWritablePrimary" : "ismaster"] = true;
        reply["maxBsonObjectSize"] = WireLimits.DefaultMaxDocumentSize;
        reply["maxMessageSizeBytes"] = WireLimits.DefaultMaxMessageSize;
        reply["maxWriteBatchSize"] = 100000;
        reply["localTime"] = new BsonDateTime(DateTime.UtcNow);
        reply["logicalSessionTimeoutMinutes"] = 30;
        reply["connectionId"] = session.ConnectionId;
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
