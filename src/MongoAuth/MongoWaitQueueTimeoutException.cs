namespace MongoAuth;

/// <summary>No connection became available in the pool within <c>waitQueueTimeoutMS</c> (or the server-selection timeout).</summary>
public sealed class MongoWaitQueueTimeoutException : MongoConnectionException
{
    /// <summary>Creates the exception.</summary>
    public MongoWaitQueueTimeoutException(string message) : base(message) { }
}
