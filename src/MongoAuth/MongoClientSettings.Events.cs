using MongoAuth.Pooling;

namespace MongoAuth;

public sealed partial record MongoClientSettings
{
    /// <summary>
    /// Receives every connection-pool (CMAP) event: pool created/ready/cleared/closed, connection
    /// created/ready/closed, checkout started/failed, checked out/in. Called synchronously on the thread that raised
    /// the event: keep it quick and thread-safe. Code only; null = no events (Debug logs still go to
    /// <see cref="LoggerFactory"/>).
    /// </summary>
    public Action<ConnectionPoolEvent>? ConnectionPoolEventHandler { get; init; }

    /// <summary>
    /// Receives every discovery and monitoring event: topology and server description changes, and the monitors'
    /// heartbeats. Called on a monitor's thread: keep it quick and thread-safe. Code only; null = no events (the
    /// changes are still logged at Debug level to <see cref="LoggerFactory"/>, category <c>MongoAuth.Topology</c>).
    /// </summary>
    public Action<Topology.TopologyEvent>? TopologyEventHandler { get; init; }
}
