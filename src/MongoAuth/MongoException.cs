namespace MongoAuth;

/// <summary>Base class of every exception MongoAuth throws. Messages never contain secrets.</summary>
public class MongoException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public MongoException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public MongoException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>
    /// Load-balanced mode: the backend (serviceId from hello) of the connection that failed while it was being
    /// established after hello, so that the pool clears only that backend's connections.
    /// </summary>
    internal MongoDB.Bson.ObjectId? ServiceId { get; set; }
}

/// <summary>
/// A connection string, setting or credential is invalid. Raised when the client is built, never lazily on
/// first connect. The message names the option (or the position in the string) and the rule that was broken.
/// </summary>
public sealed class MongoConfigurationException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoConfigurationException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public MongoConfigurationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The option the error is about, when there is one (its canonical name).</summary>
    public string? OptionName { get; init; }
}
