using MongoAuth.Connections.Tls;
using MongoAuth.TestServer.Users;

namespace MongoAuth.TestServer.Authentication.X509;

/// <summary>
/// The server half of MONGODB-X509, as mongod does it: the user is the RFC 2253 subject of the client certificate
/// TLS verified, looked up among the <c>$external</c> users of a <see cref="TestUserStore"/>. Refused with code 18
/// (AuthenticationFailed) when there is no certificate, when a <c>user</c> is given that is not the subject, or when
/// no user has the subject; with code 17 (ProtocolError) when the database is not <c>$external</c>. Certificates that
/// are untrusted, expired or revoked never get here: the server's TLS layer refuses them.
/// </summary>
public sealed class X509ServerHandler(TestUserStore users) : IServerAuthenticateHandler
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "MONGODB-X509";

    /// <inheritdoc />
    public string Name => MechanismName;

    /// <inheritdoc />
    public AuthenticatedUser Authenticate(ServerAuthenticateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        var database = command.GetValue("$db", command.GetValue("db", TestUserStore.ExternalDatabase));
        if (!database.IsString || database.AsString != TestUserStore.ExternalDatabase)
        {
            throw new ServerCommandException(17, "ProtocolError", "X.509 authentication must always use the $external database.");
        }

        var certificate = context.ClientCertificate ??
            throw new ServerCommandException(18, "AuthenticationFailed", "No verified subject name available from client");
        var subject = Rfc2253Name.Subject(certificate);
        if (command.TryGetValue("user", out var user) && !(user.IsString && user.AsString == subject))
        {
            throw new ServerCommandException(18, "AuthenticationFailed", "There is no x.509 client certificate matching the user.");
        }

        var found = users.Find(TestUserStore.ExternalDatabase, subject) ??
            throw new ServerCommandException(18, "AuthenticationFailed", $"Could not find user \"{subject}\" for db \"$external\"");
        return found.ToAuthenticatedUser();
    }
}
