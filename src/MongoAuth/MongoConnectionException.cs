namespace MongoAuth;

/// <summary>
/// A network-level failure: the server could not be reached, TLS failed, the connection was closed or a read or
/// write timed out. The connection involved is discarded. The message names the server and the step.
/// </summary>
public class MongoConnectionException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoConnectionException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public MongoConnectionException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The server the connection was for, when known.</summary>
    public MongoServerAddress? Server { get; init; }

    /// <summary>Whether the failure happened during authentication (after hello), which clears the pool.</summary>
    internal bool DuringAuthentication { get; init; }
}
