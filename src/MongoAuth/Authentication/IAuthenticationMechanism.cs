using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>
/// An authentication mechanism as the registry creates it: once per client, from the credential and the settings.
/// Implement <see cref="ISaslMechanism"/> for SASL mechanisms, or <see cref="ICommandMechanism"/> for a
/// mechanism that authenticates with one command (MONGODB-X509). Optional capabilities are separate interfaces:
/// <see cref="ISpeculativeSaslMechanism"/>, <see cref="IReauthenticatingMechanism"/>,
/// <see cref="IAuthenticationErrorHandler"/>.
/// </summary>
public interface IAuthenticationMechanism
{
    /// <summary>The mechanism name (e.g. SCRAM-SHA-256, MONGODB-X509).</summary>
    string Name { get; }

    /// <summary>The database authentication runs against (<c>$db</c>), e.g. <c>admin</c> or <c>$external</c>.</summary>
    string Source { get; }
}

/// <summary>
/// A mechanism that authenticates with a single command rather than a SASL conversation, as MONGODB-X509 does with
/// <c>{authenticate: 1, mechanism, user}</c>. The reply (<c>ok: 1</c>) or an error decides the outcome.
/// </summary>
public interface ICommandMechanism : IAuthenticationMechanism
{
    /// <summary>The command to send to <see cref="IAuthenticationMechanism.Source"/>, without <c>$db</c>.
    /// Also used as the <c>speculativeAuthenticate</c> document when <see cref="CanSpeculate"/> is true.</summary>
    BsonDocument CreateCommand(SaslConversationContext context);

    /// <summary>Whether to fold the command into the handshake.</summary>
    bool CanSpeculate { get; }
}

/// <summary>
/// A mechanism that supports reauthentication: when an operation fails with code 391 (ReauthenticationRequired) the
/// driver calls <see cref="PrepareReauthentication"/>, runs a fresh SASL conversation on the same connection (no
/// hello, no speculation) and retries the operation once. SASL mechanisms that do not implement it are reauthenticated
/// the same way without the hook.
/// </summary>
public interface IReauthenticatingMechanism
{
    /// <summary>Called before the new conversation (OIDC: invalidate the connection's token in the client cache).</summary>
    void PrepareReauthentication(SaslConversationContext context);
}

/// <summary>A mechanism that wants to hear about failures (OIDC invalidates its cached token on code 18).</summary>
public interface IAuthenticationErrorHandler
{
    /// <summary>
    /// Called when a conversation fails, before the error reaches the caller. <paramref name="serverErrorCode"/> is the
    /// server's code when the server answered with an error; <paramref name="speculative"/> is true when the failure
    /// is that of the speculative first step inside the handshake.
    /// </summary>
    void OnAuthenticationFailed(SaslConversationContext context, int? serverErrorCode, bool speculative);
}
