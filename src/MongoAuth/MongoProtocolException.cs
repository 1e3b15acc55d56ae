namespace MongoAuth;

/// <summary>
/// The peer sent bytes that are not a valid MongoDB wire message (bad length, unknown required flag, unknown section
/// kind, checksum mismatch, malformed BSON). The connection it arrived on is closed.
/// </summary>
public sealed class MongoProtocolException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public MongoProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}
