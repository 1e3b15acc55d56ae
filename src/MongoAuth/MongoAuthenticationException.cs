namespace MongoAuth;

/// <summary>
/// Authentication failed. The message names the mechanism, user and source and, where known, the step and what to
/// change; it never contains the password, a token or a key.
/// </summary>
public sealed class MongoAuthenticationException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoAuthenticationException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public MongoAuthenticationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The mechanism that failed, when known.</summary>
    public string? Mechanism { get; init; }

    /// <summary>The server error code (18 = AuthenticationFailed), when the server answered with one.</summary>
    public int? ServerErrorCode { get; init; }
}
