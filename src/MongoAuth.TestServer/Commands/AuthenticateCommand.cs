using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Connections;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands;

/// <summary><c>{authenticate:1, mechanism[, user]}</c>: the single-step mechanisms (MONGODB-X509).</summary>
internal static class AuthenticateCommand
{
    /// <summary>Answers <c>{dbname, user}</c> (without <c>ok</c>) once the registered handler accepts.</summary>
    public static BsonDocument Handle(MongoTestServer server, ConnectionSession session, BsonDocument command)
    {
        var name = command.GetValue("mechanism", BsonNull.Value);
        var handler = (name.IsString ? server.FindAuthenticateHandler(name.AsString) : null) ??
            throw new ServerCommandException(334, "MechanismUnavailable",
                $"Received authentication for mechanism {name} which is unknown or not enabled");
        var user = handler.Authenticate(
            new ServerAuthenticateContext(session.Remote, session.IsTls, session.ClientCertificate, command));
        session.Authenticated(user);
        return new BsonDocument { { "dbname", user.Db }, { "user", user.User } };
    }
}
