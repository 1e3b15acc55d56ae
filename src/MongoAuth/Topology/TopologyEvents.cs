namespace MongoAuth.Topology;

/// <summary>A server-discovery-and-monitoring event. Subscribe with <see cref="MongoClientSettings.TopologyEventHandler"/>.</summary>
public abstract record TopologyEvent;

/// <summary>The topology changed (type, set name or any server's description).</summary>
/// <param name="Previous">The topology before.</param>
/// <param name="New">The topology now.</param>
public sealed record TopologyDescriptionChangedEvent(TopologyDescription Previous, TopologyDescription New) : TopologyEvent;

/// <summary>One server's description changed (its type, its round trip bucket aside, or its error).</summary>
/// <param name="Address">The server.</param>
/// <param name="Previous">Its description before.</param>
/// <param name="New">Its description now.</param>
public sealed record ServerDescriptionChangedEvent(MongoServerAddress Address, ServerDescription Previous, ServerDescription New) : TopologyEvent;

/// <summary>A monitor sent a hello.</summary>
/// <param name="Address">The server.</param>
/// <param name="Awaited">Whether it is an awaitable (streaming) hello that the server answers on a change or after heartbeatFrequencyMS.</param>
public sealed record ServerHeartbeatStartedEvent(MongoServerAddress Address, bool Awaited) : TopologyEvent;

/// <summary>A monitor's hello succeeded.</summary>
/// <param name="Address">The server.</param>
/// <param name="Duration">How long it took (for an awaitable hello, including the server's wait).</param>
/// <param name="Awaited">Whether it was an awaitable hello.</param>
public sealed record ServerHeartbeatSucceededEvent(MongoServerAddress Address, TimeSpan Duration, bool Awaited) : TopologyEvent;

/// <summary>A monitor's hello (or its connection) failed; the server is now Unknown.</summary>
/// <param name="Address">The server.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Error">What failed.</param>
/// <param name="Awaited">Whether it was an awaitable hello.</param>
public sealed record ServerHeartbeatFailedEvent(MongoServerAddress Address, TimeSpan Duration, Exception Error, bool Awaited) : TopologyEvent;
