namespace MongoAuth.Diagnostics;

/// <summary>
/// Attribute and instrument names from OpenTelemetry's semantic conventions (database spans and metrics, the MongoDB
/// page, the TLS and error registries), in one place so every span and metric spells them the same way.
/// </summary>
internal static class SemanticConventions
{
    public const string DbSystemName = "db.system.name";
    public const string DbSystemMongoDb = "mongodb";
    public const string DbOperationName = "db.operation.name";
    public const string DbCollectionName = "db.collection.name";
    public const string DbNamespace = "db.namespace";
    public const string DbResponseStatusCode = "db.response.status_code";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string NetworkTransport = "network.transport";
    public const string ErrorType = "error.type";
    public const string TlsProtocolName = "tls.protocol.name";
    public const string TlsProtocolVersion = "tls.protocol.version";
    public const string TlsCipher = "tls.cipher";
    public const string ConnectionPoolName = "db.client.connection.pool.name";
    public const string ConnectionState = "db.client.connection.state";

    public const string OperationDuration = "db.client.operation.duration";
    public const string ConnectionCount = "db.client.connection.count";
    public const string ConnectionCreateTime = "db.client.connection.create_time";

    // Not in the conventions (which have no authentication attributes): ours, under the library's own prefix.
    public const string AuthMechanism = "mongoauth.auth.mechanism";
    public const string AuthSource = "mongoauth.auth.source";
    public const string AuthSpeculative = "mongoauth.auth.speculative";
    public const string AuthStep = "mongoauth.auth.step";
    public const string ConnectionId = "mongoauth.connection.id";
}
