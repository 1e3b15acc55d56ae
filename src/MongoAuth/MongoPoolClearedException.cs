namespace MongoAuth;

/// <summary>
/// The connection pool was cleared (closed or paused) while this operation waited for a connection, because another
/// operation failed. Retryable: the next attempt gets a fresh connection.
/// </summary>
public sealed class MongoPoolClearedException : MongoConnectionException
{
    /// <summary>Creates the exception.</summary>
    public MongoPoolClearedException(string message, Exception? innerException = null) : base(message, innerException) { }
}
