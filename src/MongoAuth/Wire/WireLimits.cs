namespace MongoAuth.Wire;

/// <summary>
/// Size limits of the wire protocol as this client applies them: the defaults until the handshake reports the
/// server's own, the bounds of the application's cap (<see cref="MongoClientSettings.MaxWireMessageSize"/>) and the
/// sizes no server limit may go below.
/// </summary>
internal static class WireLimits
{
    /// <summary>mongod's maxMessageSizeBytes, and the default of the client's cap.</summary>
    public const int DefaultMaxMessageSize = 48_000_000;

    /// <summary>mongod's maxBsonObjectSize.</summary>
    public const int DefaultMaxDocumentSize = 16 * 1024 * 1024;

    /// <summary>mongod's maxWriteBatchSize (and the most this client ever puts in one batch).</summary>
    public const int DefaultMaxWriteBatchSize = 100_000;

    /// <summary>The smallest value <see cref="MongoClientSettings.MaxWireMessageSize"/> accepts.</summary>
    public const int MinMaxMessageSizeSetting = 64 * 1024;

    /// <summary>The largest value <see cref="MongoClientSettings.MaxWireMessageSize"/> accepts: <see cref="Array.MaxLength"/>.</summary>
    public const int MaxMaxMessageSizeSetting = 0x7FFF_FFC7;

    /// <summary>
    /// The smallest OP_MSG there is (header, flags, a kind byte and an empty document): a server limit below it
    /// admits no message at all, so it is a broken hello, not a limit.
    /// </summary>
    public const int SmallestMessage = MessageHeader.Size + 4 + 1 + BsonSlices.MinDocumentSize;

    /// <summary>
    /// How much of a reply is buffered before more bytes have arrived: a reply buffer starts at the smaller of the
    /// announced length and this, and doubles as bytes keep coming.
    /// </summary>
    public const int InitialReadBuffer = 64 * 1024;
}
