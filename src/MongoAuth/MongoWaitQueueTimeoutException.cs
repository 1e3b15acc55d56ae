namespace MongoAuth;

/// <summary>
/// No connection became available in the pool in time: <see cref="MongoOperationTimeoutException.Step"/> is
/// <c>pool wait</c> and <see cref="MongoOperationTimeoutException.TimeoutOption"/> names the option that bounded the
/// wait (<c>waitQueueTimeoutMS</c>, <c>serverSelectionTimeoutMS</c> when it is not set, or <c>timeoutMS</c>).
/// </summary>
public sealed class MongoWaitQueueTimeoutException : MongoOperationTimeoutException
{
    /// <summary>Creates the exception.</summary>
    public MongoWaitQueueTimeoutException(string message) : base(message) { }
}
