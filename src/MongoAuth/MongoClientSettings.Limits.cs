using System.Globalization;
using MongoAuth.Authentication.Scram;
using MongoAuth.Wire;

namespace MongoAuth;

public sealed partial record MongoClientSettings
{
    /// <summary>
    /// The largest SCRAM iteration count (the server-first message's <c>i=</c>) this client will spend CPU on.
    /// A server that asks for more is refused with a <see cref="MongoAuthenticationException"/> naming the count and
    /// this limit, before any key derivation, so a hostile or misconfigured server cannot keep a core busy for
    /// minutes per connection. Default 1,000,000: far above mongod's defaults (10,000 for SCRAM-SHA-1, 15,000 for
    /// SCRAM-SHA-256) and above the 600,000 OWASP recommends for PBKDF2-HMAC-SHA256; one derivation at this count
    /// costs well under a second (see docs/authentication.md). Raise it only for a server configured with a higher
    /// <c>scramIterationCount</c> / <c>scramSHA256IterationCount</c>. From 4096 (the minimum a server may ask for) to
    /// <see cref="int.MaxValue"/>. Code only.
    /// </summary>
    public int MaxScramIterationCount { get; init; } = ScramLimits.DefaultMaxIterationCount;

    /// <summary>
    /// The client's cap, in bytes, on one wire message (request or reply, header included). The limit used on a
    /// connection is the smaller of this and the server's <c>maxMessageSizeBytes</c> from the handshake, so a server
    /// that announces a huge limit, or a reply header that announces a huge length, cannot make the client reserve
    /// that much memory; a reply longer than the limit closes the connection with a <see cref="MongoProtocolException"/>
    /// as its cause. Reply buffers grow as bytes arrive, so even an accepted length costs memory only when the bytes
    /// come. Default 48,000,000 (mongod's own <c>maxMessageSizeBytes</c>); from 65,536 to
    /// <see cref="Array.MaxLength"/>. Code only.
    /// </summary>
    public int MaxWireMessageSize { get; init; } = WireLimits.DefaultMaxMessageSize;

    private void ValidateLimits()
    {
        Check(MaxScramIterationCount >= ScramAlgorithm.MinimumIterationCount, nameof(MaxScramIterationCount),
            string.Create(CultureInfo.InvariantCulture,
                $"MaxScramIterationCount must be at least {ScramAlgorithm.MinimumIterationCount} (the smallest count a SCRAM server may ask for), not {MaxScramIterationCount}."));
        Check(MaxWireMessageSize is >= WireLimits.MinMaxMessageSizeSetting and <= WireLimits.MaxMaxMessageSizeSetting, nameof(MaxWireMessageSize),
            string.Create(CultureInfo.InvariantCulture,
                $"MaxWireMessageSize must be from {WireLimits.MinMaxMessageSizeSetting} to {WireLimits.MaxMaxMessageSizeSetting} bytes, not {MaxWireMessageSize}."));
    }
}
