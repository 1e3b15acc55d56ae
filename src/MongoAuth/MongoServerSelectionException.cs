namespace MongoAuth;

/// <summary>No usable (reachable, writable) server was found within the server-selection timeout. The message lists
/// every server tried and why it was not used.</summary>
public sealed class MongoServerSelectionException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoServerSelectionException(string message, Exception? innerException = null) : base(message, innerException) { }
}
