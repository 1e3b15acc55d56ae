namespace MongoAuth;

/// <summary>
/// An operation, or one of its steps, did not finish within the time a timeout option allows. <see cref="Step"/>
/// names what was running (for example <c>TCP connect</c>, <c>TLS handshake</c>, <c>hello</c>, <c>saslStart</c>,
/// <c>saslContinue 2</c>, <c>pool wait</c>, <c>server selection</c> or the command's name) and
/// <see cref="TimeoutOption"/> the option that set the bound (<c>timeoutMS</c>, <c>connectTimeoutMS</c>,
/// <c>socketTimeoutMS</c>, <c>waitQueueTimeoutMS</c> or <c>serverSelectionTimeoutMS</c>) with its value in
/// <see cref="Timeout"/>. It derives from <see cref="MongoConnectionException"/>, so code that catches connection
/// failures keeps catching timeouts; a connection in the middle of a request when its time ran out is closed.
/// </summary>
public class MongoOperationTimeoutException : MongoConnectionException
{
    /// <summary>Creates the exception.</summary>
    public MongoOperationTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a cause.</summary>
    public MongoOperationTimeoutException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The step that was running when the time ran out.</summary>
    public string Step { get; init; } = "";

    /// <summary>The option whose limit was reached, as spelled in a connection string (e.g. <c>connectTimeoutMS</c>).</summary>
    public string TimeoutOption { get; init; } = "";

    /// <summary>The value of <see cref="TimeoutOption"/>.</summary>
    public TimeSpan Timeout { get; init; }
}
