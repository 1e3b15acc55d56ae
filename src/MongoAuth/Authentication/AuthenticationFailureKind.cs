namespace MongoAuth.Authentication;

/// <summary>What went wrong in an authentication step, as far as the client can tell.</summary>
public enum AuthenticationFailureKind
{
    /// <summary>The server answered with an error code (<see cref="AuthenticationFailureEvidence.ServerErrorCode"/>).</summary>
    ServerError,

    /// <summary>The connection was closed or reset before the server answered.</summary>
    ConnectionClosed,

    /// <summary>The step did not finish within its time limit.</summary>
    TimedOut,

    /// <summary>The client refused what the server sent (a bad nonce, signature or payload).</summary>
    ClientRefused,

    /// <summary>The server broke the conversation's rules (ended it early, never ended it).</summary>
    ProtocolViolation,
}
