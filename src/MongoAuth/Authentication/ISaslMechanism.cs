using System.Net;

namespace MongoAuth.Authentication;

/// <summary>
/// A SASL mechanism (SCRAM, PLAIN, GSSAPI, AWS, OIDC). One instance per client, so caches it holds are client-wide.
/// It never touches the socket: the conversation is a chain of <see cref="ISaslStep"/> objects driven by one loop
/// that owns saslStart, saslContinue, conversationId, done and skipEmptyExchange.
/// </summary>
public interface ISaslMechanism : IAuthenticationMechanism
{

    /// <summary>
    /// Starts a conversation on one connection. The returned step receives an empty server payload and produces
    /// the saslStart payload; per-conversation state (nonces, security contexts) lives in the steps.
    /// </summary>
    ISaslStep CreateFirstStep(SaslConversationContext context);
}

/// <summary>
/// One step of a SASL conversation: from the server's payload to the bytes to send and the next step. A step that
/// holds native or per-conversation state (a GSSAPI security context) may implement <see cref="IDisposable"/>: the
/// loop disposes every step it was handed, once, when the conversation ends, however it ends.
/// </summary>
public interface ISaslStep
{
    /// <summary>
    /// Computes the client's next payload from <paramref name="serverPayload"/> (empty for the first step).
    /// Throws <see cref="MongoAuthenticationException"/> when the server's payload is invalid.
    /// </summary>
    ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken);
}

/// <summary>What a step produced.</summary>
/// <param name="Payload">The bytes to send (may be empty).</param>
/// <param name="Next">
/// The step that handles the server's reply to <paramref name="Payload"/>, or null when the client side is complete.
/// The loop declares success only when every step has run and the server said <c>done</c>.
/// </param>
public readonly record struct SaslStepResult(ReadOnlyMemory<byte> Payload, ISaslStep? Next);

/// <summary>What a conversation may know about the connection it runs on.</summary>
/// <param name="Endpoint">The server endpoint as configured (host name, not resolved), for SPNs and logs.</param>
/// <param name="IsTls">Whether the connection is TLS.</param>
/// <param name="IsServerIdentityVerified">Whether TLS verified the server's certificate chain and host name.</param>
public sealed record SaslConversationContext(DnsEndPoint Endpoint, bool IsTls, bool IsServerIdentityVerified)
{
    /// <summary>
    /// State the mechanism keeps for this connection across conversations (OIDC: the token the connection
    /// authenticated with, for reauthentication). Lives as long as the connection.
    /// </summary>
    public ConnectionAuthenticationCache ConnectionCache { get; init; } = new();
}

/// <summary>A slot a mechanism may use to keep per-connection state (e.g. OIDC's connection token cache).</summary>
public sealed class ConnectionAuthenticationCache
{
    /// <summary>The mechanism's state for this connection; null until the mechanism sets it.</summary>
    public object? Value { get; set; }
}

/// <summary>
/// A SASL mechanism that can fold its first step into the handshake (<c>speculativeAuthenticate</c>), as SCRAM and
/// OIDC with a cached token do. The loop sends the saslStart document with <c>db</c> inside hello and continues from
/// the reply's <c>speculativeAuthenticate</c> document.
/// </summary>
public interface ISpeculativeSaslMechanism : ISaslMechanism
{
    /// <summary>Whether to speculate on this connection (OIDC: only when a token is cached).</summary>
    bool CanSpeculate { get; }
}
