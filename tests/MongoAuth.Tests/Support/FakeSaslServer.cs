using System.Text;
using MongoDB.Bson;

namespace MongoAuth.Tests.Support;

/// <summary>
/// Scripts for <see cref="ScriptedServer"/>: a hello, the server side of <see cref="FakeSaslMechanism"/>'s
/// conversation (skipEmptyExchange style), connectionStatus and ping.
/// </summary>
internal static class FakeSaslServer
{
    public static BsonDocument SaslReply(string payload, bool done, int conversationId = 1) => new()
    {
        { "conversationId", conversationId }, { "done", done }, { "payload", new BsonBinaryData(Encoding.UTF8.GetBytes(payload)) }, { "ok", 1 },
    };

    public static string Payload(BsonDocument command) => Encoding.UTF8.GetString(command["payload"].AsBsonBinaryData.Bytes);

    /// <summary>Answers hello, saslStart/saslContinue of the fake mechanism, connectionStatus and anything else with ok:1.
    /// <paramref name="expectedFinal"/> is the second client message the server accepts.</summary>
    public static ServerAction Handle(ServerRequest request, BsonDocument? helloExtra = null, string expectedFinal = "c2") => request.Name switch
    {
        "isMaster" or "hello" => ServerAction.Reply(ScriptedServer.Hello(helloExtra)),
        "saslStart" => ServerAction.Reply(SaslReply("s1", done: false)),
        "saslContinue" when Payload(request.Command) == expectedFinal => ServerAction.Reply(SaslReply("s2", done: true)),
        "saslContinue" => ServerAction.Error(18, "AuthenticationFailed", "Authentication failed."),
        "connectionStatus" => ScriptedServer.Ok(new BsonDocument("authInfo", new BsonDocument
        {
            { "authenticatedUsers", new BsonArray { new BsonDocument { { "user", "alice" }, { "db", "admin" } } } },
            { "authenticatedUserRoles", new BsonArray { new BsonDocument { { "role", "readWrite" }, { "db", "app" } } } },
        })),
        _ => ScriptedServer.Ok(new BsonDocument("echo", request.Name)),
    };
}
