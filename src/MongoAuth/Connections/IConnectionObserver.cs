namespace MongoAuth.Connections;

/// <summary>The steps of opening a connection, in order.</summary>
internal enum ConnectionStep
{
    TcpConnect,
    TlsHandshake,
    Hello,
    Authentication,
}

/// <summary>
/// Hears how long each step of opening a connection took (the CLI's <c>check</c> prints it). Called on the connecting
/// task; implementations must be quick and thread-safe.
/// </summary>
internal interface IConnectionObserver
{
    void OnStepCompleted(MongoServerAddress server, ConnectionStep step, TimeSpan duration, string detail);
}
