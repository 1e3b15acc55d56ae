namespace MongoAuth.Authentication.Gssapi;

/// <summary>
/// A client-side Kerberos security context: the token exchange, then wrap/unwrap (integrity only) for the RFC 4752
/// security-layer step. Backed by <c>NegotiateAuthentication</c>, or by libgssapi directly when the service
/// principal carries a realm.
/// </summary>
internal interface IGssClientContext : IDisposable
{
    /// <summary>Whether the context is established (no more tokens to exchange).</summary>
    bool IsComplete { get; }

    /// <summary>Consumes the server's token (empty at first) and returns the next token to send (may be empty).</summary>
    /// <exception cref="GssException">The context could not be established.</exception>
    byte[] Step(ReadOnlySpan<byte> incoming);

    /// <summary>Wraps <paramref name="message"/> with integrity protection and no encryption.</summary>
    byte[] Wrap(ReadOnlySpan<byte> message);

    /// <summary>Unwraps a message from the server, checking its integrity.</summary>
    byte[] Unwrap(ReadOnlySpan<byte> message);
}

/// <summary>What kind of Kerberos failure happened, for an error message that says what to fix.</summary>
internal enum GssFailureKind
{
    /// <summary>Not classified; the status text tells more.</summary>
    Other,

    /// <summary>No password given and no usable ticket in the cache.</summary>
    NoCredentials,

    /// <summary>The KDC rejected the password (or the credentials were rejected and a password was given).</summary>
    BadPassword,

    /// <summary>The KDC does not know the user.</summary>
    UnknownClient,

    /// <summary>The KDC does not know the service principal.</summary>
    UnknownService,

    /// <summary>No KDC of the realm answered.</summary>
    KdcUnreachable,

    /// <summary>The GSSAPI library is not installed.</summary>
    LibraryMissing,
}

/// <summary>A GSS-API call failed. The message holds the library's status text, never a secret.</summary>
internal sealed class GssException : Exception
{
    public GssException(GssFailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    public GssFailureKind Kind { get; }
}
