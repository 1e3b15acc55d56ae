using System.Collections.Concurrent;
using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;

namespace MongoAuth.Tests.Support;

/// <summary>
/// Runs server-side SASL mechanisms (<see cref="IServerSaslMechanism"/>) behind a <see cref="ScriptedServer"/>:
/// answers hello (with the speculative first step when the client sends one), saslStart and saslContinue per
/// connection, and connectionStatus with the authenticated user. Lets engine tests drive real mechanisms end to end
/// while the script still controls faults.
/// </summary>
internal sealed class SaslServerBridge(params IServerSaslMechanism[] mechanisms)
{
    private readonly ConcurrentDictionary<int, IServerSaslConversation> _conversations = new();
    private readonly ConcurrentDictionary<int, AuthenticatedUser> _users = new();

    public BsonArray SupportedMechanisms { get; init; } = ["SCRAM-SHA-1", "SCRAM-SHA-256"];

    public ServerAction Handle(ServerRequest request)
    {
        try
        {
            return request.Name switch
            {
                "isMaster" or "hello" => ServerAction.Reply(Hello(request)),
                "saslStart" => ServerAction.Reply(Start(request.Connection, request.Command)),
                "saslContinue" => ServerAction.Reply(Continue(request.Connection, request.Command)),
                "connectionStatus" => ScriptedServer.Ok(new BsonDocument("authInfo", Status(request.Connection))),
                _ => ScriptedServer.Ok(new BsonDocument("echo", request.Name)),
            };
        }
        catch (ServerCommandException e)
        {
            return ServerAction.Error(e.Code, e.CodeName, e.Message);
        }
    }

    private BsonDocument Hello(ServerRequest request)
    {
        var extra = new BsonDocument();
        if (request.Command.Contains("saslSupportedMechs"))
        {
            extra["saslSupportedMechs"] = SupportedMechanisms;
        }
        if (request.Command.TryGetValue("speculativeAuthenticate", out var speculative))
        {
            try
            {
                extra["speculativeAuthenticate"] = Start(request.Connection, speculative.AsBsonDocument, speculative["db"].AsString);
            }
            catch (ServerCommandException)
            {
                // mongod answers a failed speculative step by leaving the field out.
            }
        }
        return ScriptedServer.Hello(extra);
    }

    private BsonDocument Start(int connection, BsonDocument command, string? database = null)
    {
        var name = command["mechanism"].AsString;
        var mechanism = mechanisms.FirstOrDefault(m => m.Name == name)
            ?? throw new ServerCommandException(2, "BadValue", $"Received authentication for mechanism {name} which is not enabled");
        var context = new ServerConversationContext(null, database ?? command["$db"].AsString, IsTls: false)
        {
            SkipEmptyExchange = command.TryGetValue("options", out var o) && o.AsBsonDocument.GetValue("skipEmptyExchange", false).ToBoolean(),
        };
        var conversation = mechanism.Start(context);
        _conversations[connection] = conversation;
        return Step(connection, conversation, command);
    }

    private BsonDocument Continue(int connection, BsonDocument command) =>
        _conversations.TryGetValue(connection, out var conversation)
            ? Step(connection, conversation, command)
            : throw new ServerCommandException(17, "ProtocolError", "No SASL session state found");

    private BsonDocument Step(int connection, IServerSaslConversation conversation, BsonDocument command)
    {
        var step = conversation.StepAsync(command["payload"].AsBsonBinaryData.Bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (step.Done && step.User is { } user)
        {
            _users[connection] = user;
        }
        return new BsonDocument
        {
            { "conversationId", 1 }, { "done", step.Done }, { "payload", new BsonBinaryData(step.Payload.ToArray()) }, { "ok", 1 },
        };
    }

    private BsonDocument Status(int connection) =>
        _users.TryGetValue(connection, out var user)
            ? new BsonDocument
            {
                { "authenticatedUsers", new BsonArray { new BsonDocument { { "user", user.User }, { "db", user.Db } } } },
                { "authenticatedUserRoles", new BsonArray(user.Roles.Select(r => new BsonDocument { { "role", r.Role }, { "db", r.Db } })) },
            }
            : new BsonDocument { { "authenticatedUsers", new BsonArray() }, { "authenticatedUserRoles", new BsonArray() } };
}
