using MongoDB.Bson;

namespace MongoAuth.Connections;

/// <summary>What the handshake reply told us about the server.</summary>
internal sealed record HelloResult(
    int MaxWireVersion,
    int MaxMessageSizeBytes,
    int MaxBsonObjectSize,
    bool IsWritablePrimary,
    bool HelloOk,
    IReadOnlyList<string>? SaslSupportedMechs,
    BsonDocument? SpeculativeAuthenticate)
{
    /// <summary>MongoDB 4.2: the oldest server this driver speaks to.</summary>
    public const int MinWireVersion = 8;

    public const int DefaultMaxMessageSizeBytes = 48_000_000;
    public const int DefaultMaxBsonObjectSize = 16 * 1024 * 1024;

    /// <summary>Reads a handshake reply; refuses servers older than wire version 8.</summary>
    public static HelloResult Parse(BsonDocument reply, MongoServerAddress server)
    {
        var maxWire = Int(reply, "maxWireVersion", 0);
        if (maxWire < MinWireVersion)
        {
            throw new MongoConnectionException(
                $"Server {server} reports maxWireVersion {maxWire}, but MongoAuth needs at least {MinWireVersion} (MongoDB 4.2). Upgrade the server.")
            { Server = server };
        }
        var mechs = reply.TryGetValue("saslSupportedMechs", out var m) && m is BsonArray array
            ? array.Where(v => v.IsString).Select(v => v.AsString).ToList()
            : null;
        var writable = Bool(reply, "isWritablePrimary") || Bool(reply, "ismaster") || reply.GetValue("msg", BsonNull.Value) == "isdbgrid";
        return new HelloResult(
            maxWire,
            Int(reply, "maxMessageSizeBytes", DefaultMaxMessageSizeBytes),
            Int(reply, "maxBsonObjectSize", DefaultMaxBsonObjectSize),
            writable,
            Bool(reply, "helloOk"),
            mechs,
            reply.TryGetValue("speculativeAuthenticate", out var s) && s is BsonDocument doc ? doc : null);
    }

    private static int Int(BsonDocument reply, string name, int fallback) =>
        reply.TryGetValue(name, out var v) && v.IsNumeric ? v.ToInt32() : fallback;

    private static bool Bool(BsonDocument reply, string name) =>
        reply.TryGetValue(name, out var v) && v.ToBoolean();
}
