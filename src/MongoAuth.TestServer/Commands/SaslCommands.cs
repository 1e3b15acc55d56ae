using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Connections;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands;

/// <summary>saslStart and saslContinue: drive any <see cref="IServerSaslMechanism"/> by conversationId.</summary>
internal static class SaslCommands
{
    /// <summary>
    /// <c>{saslStart:1, mechanism, payload, options:{skipEmptyExchange}}</c> on <paramref name="database"/>;
    /// answers <c>{conversationId, done, payload}</c> (without <c>ok</c>, which the caller adds).
    /// </summary>
    public static ValueTask<BsonDocument> StartAsync(MongoTestServer server, ConnectionSession session,
        BsonDocument command, string database, CancellationToken cancellationToken)
    {
        var name = command.GetValue("mechanism", BsonNull.Value);
        if (!name.IsString)
        {
            throw new ServerCommandException(2, "BadValue", "saslStart needs a string 'mechanism'.");
        }

        var mechanism = server.FindMechanism(name.AsString) ?? throw new ServerCommandException(334,
            "MechanismUnavailable", $"Received authentication for mechanism {name.AsString} which is unknown or not enabled");
        var skipEmptyExchange = command.TryGetValue("options", out var options) && options.IsBsonDocument &&
            options.AsBsonDocument.GetValue("skipEmptyExchange", false).ToBoolean();
        var context = new ServerConversationContext(session.Remote, database, session.IsTls)
        {
            SkipEmptyExchange = skipEmptyExchange,
        };
        var payload = Payload(command);
        var conversation = mechanism.Start(context);
        var id = session.AddConversation(conversation);
        return StepAsync(session, id, conversation, payload, cancellationToken);
    }

    /// <summary><c>{saslContinue:1, conversationId, payload}</c>.</summary>
    public static ValueTask<BsonDocument> ContinueAsync(ConnectionSession session, BsonDocument command,
        CancellationToken cancellationToken)
    {
        var id = command.GetValue("conversationId", BsonNull.Value);
        if (!id.IsNumeric || !session.TryGetConversation(id.ToInt32(), out var conversation))
        {
            throw new ServerCommandException(17, "ProtocolError", "No SASL session state found");
        }

        return StepAsync(session, id.ToInt32(), conversation, Payload(command), cancellationToken);
    }

    private static async ValueTask<BsonDocument> StepAsync(ConnectionSession session, int id,
        IServerSaslConversation conversation, ClientPayload payload, CancellationToken cancellationToken)
    {
        ServerSaslStep step;
        try
        {
            step = await conversation.StepAsync(payload.Bytes, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            session.EndConversation(id);
            throw;
        }

        if (step.Done)
        {
            session.EndConversation(id);
            session.Authenticated(step.User ?? throw ServerCommandException.AuthenticationFailed());
        }

        return new BsonDocument
        {
            { "conversationId", id },
            { "done", step.Done },
            {
                // mongod answers in the form the client used: binary for binary, a base64 string for a string.
                "payload", payload.IsString
                    ? new BsonString(Convert.ToBase64String(step.Payload.Span))
                    : new BsonBinaryData(step.Payload.ToArray())
            },
        };
    }

    /// <summary>
    /// The client's payload: binary data, or a base64 string as mongod also accepts (the Node.js driver sends its
    /// GSSAPI tokens that way); the string is decoded, never used as text.
    /// </summary>
    private static ClientPayload Payload(BsonDocument command) => command.GetValue("payload", BsonNull.Value) switch
    {
        BsonBinaryData binary => new ClientPayload(binary.Bytes, IsString: false),
        BsonString text => new ClientPayload(DecodeBase64(text.Value), IsString: true),
        _ => throw new ServerCommandException(2, "BadValue", "SASL 'payload' must be binary data or a base64 string."),
    };

    private static byte[] DecodeBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new ServerCommandException(2, "BadValue", "SASL 'payload' is a string but not valid base64.");
        }
    }

    /// <summary>The decoded payload and whether it came as a string (the reply then goes back as one).</summary>
    private readonly record struct ClientPayload(byte[] Bytes, bool IsString);
}
