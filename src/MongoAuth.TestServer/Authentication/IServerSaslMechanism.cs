using System.Net;

namespace MongoAuth.TestServer.Authentication;

/// <summary>A role granted to an authenticated user, as connectionStatus reports it.</summary>
/// <param name="Role">The role name.</param>
/// <param name="Db">The database the role is defined on.</param>
public sealed record GrantedRole(string Role, string Db);

/// <summary>Who a conversation authenticated, and the roles they get.</summary>
/// <param name="User">The user name (for X.509 the RFC 2253 subject, for GSSAPI the principal).</param>
/// <param name="Db">The user's database (<c>$external</c> for external mechanisms).</param>
/// <param name="Roles">The roles granted.</param>
public sealed record AuthenticatedUser(string User, string Db, IReadOnlyList<GrantedRole> Roles)
{
    /// <summary>
    /// When the authentication stops being valid (MONGODB-OIDC: the token's expiry); after it the connection's
    /// commands are answered 391 (ReauthenticationRequired) until it authenticates again. Null: never.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>What the server knows about the connection a conversation runs on.</summary>
/// <param name="Remote">The client's address.</param>
/// <param name="Database">The <c>$db</c> of saslStart (the user's source).</param>
/// <param name="IsTls">Whether the connection is TLS.</param>
public sealed record ServerConversationContext(EndPoint? Remote, string Database, bool IsTls)
{
    /// <summary>
    /// Whether saslStart carried <c>options: {skipEmptyExchange: true}</c>. SCRAM then answers <c>done:true</c>
    /// together with its final message instead of waiting for an empty saslContinue.
    /// </summary>
    public bool SkipEmptyExchange { get; init; }
}

/// <summary>A server failure the test server answers with <c>ok:0</c>, <c>code</c> and <c>errmsg</c>.</summary>
public sealed class ServerCommandException : Exception
{
    /// <summary>Creates the failure. Code 18 is AuthenticationFailed.</summary>
    public ServerCommandException(int code, string codeName, string message) : base(message)
    {
        Code = code;
        CodeName = codeName;
    }

    /// <summary>The server error code.</summary>
    public int Code { get; }

    /// <summary>The server error code name (e.g. AuthenticationFailed).</summary>
    public string CodeName { get; }

    /// <summary>The usual authentication failure, with mongod's message.</summary>
    public static ServerCommandException AuthenticationFailed() =>
        new(18, "AuthenticationFailed", "Authentication failed.");
}

/// <summary>The server side of one SASL mechanism (SCRAM, PLAIN, GSSAPI, …) in the test server.</summary>
public interface IServerSaslMechanism
{
    /// <summary>The mechanism name clients send in saslStart.</summary>
    string Name { get; }

    /// <summary>Starts a conversation for one saslStart.</summary>
    IServerSaslConversation Start(ServerConversationContext context);
}

/// <summary>One server-side conversation: client payload in, server payload out, until done.</summary>
public interface IServerSaslConversation
{
    /// <summary>
    /// Handles one client payload (from saslStart, then each saslContinue). Throws
    /// <see cref="ServerCommandException"/> to fail the conversation.
    /// </summary>
    ValueTask<ServerSaslStep> StepAsync(ReadOnlyMemory<byte> clientPayload, CancellationToken cancellationToken);
}

/// <summary>What the server answers to one client payload.</summary>
/// <param name="Payload">The server payload.</param>
/// <param name="Done">Whether the conversation is complete.</param>
/// <param name="User">When done: who was authenticated.</param>
public readonly record struct ServerSaslStep(ReadOnlyMemory<byte> Payload, bool Done, AuthenticatedUser? User);
