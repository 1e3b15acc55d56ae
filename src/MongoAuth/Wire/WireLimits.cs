namespace MongoAuth.Wire;

/// <summary>Size limits until the handshake reports the server's own.</summary>
internal static class WireLimits
{
    /// <summary>mongod's maxMessageSizeBytes.</summary>
    public const int DefaultMaxMessageSize = 48_000_000;

    /// <summary>mongod's maxBsonObjectSize.</summary>
    public const int DefaultMaxDocumentSize = 16 * 1024 * 1024;
}
