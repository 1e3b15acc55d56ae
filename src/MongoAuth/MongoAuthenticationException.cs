namespace MongoAuth;

/// <summary>
/// Authentication failed. The message names the mechanism, user, source and step once and, when the evidence points
/// to it, what to check; it never contains the password, a token or a key. The same facts are properties, for code.
/// A network failure during authentication is a <see cref="MongoConnectionException"/> whose message names the same
/// facts.
/// </summary>
public sealed class MongoAuthenticationException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoAuthenticationException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public MongoAuthenticationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The mechanism that failed, when known.</summary>
    public string? Mechanism { get; init; }

    /// <summary>The user name of the credential, when there is one (never the password).</summary>
    public string? Username { get; init; }

    /// <summary>The database authentication ran against (e.g. <c>admin</c>, <c>$external</c>), when known. Named for the
    /// <c>authSource</c> option (<see cref="Exception.Source"/> is something else).</summary>
    public string? AuthSource { get; init; }

    /// <summary>
    /// The step that failed, when known: <c>saslStart</c>, <c>saslContinue 1</c>, <c>saslContinue 2</c>…,
    /// <c>authenticate</c>, or the client's handling of a server message (e.g. <c>the server-first message</c>).
    /// </summary>
    public string? Step { get; init; }

    /// <summary>The server error code (18 = AuthenticationFailed), when the server answered with one.</summary>
    public int? ServerErrorCode { get; init; }
}
