using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>
/// What authentication adds to one connection's handshake, and the state needed to continue after it.
/// </summary>
internal sealed class SpeculativeAuthentication
{
    /// <summary><c>saslSupportedMechs</c> (<c>source.user</c>) when the mechanism is negotiated; otherwise null.</summary>
    public string? SaslSupportedMechs { get; init; }

    /// <summary>The <c>speculativeAuthenticate</c> document, or null when not speculating.</summary>
    public BsonDocument? Document { get; init; }

    /// <summary>The mechanism that speculated.</summary>
    public IAuthenticationMechanism? Mechanism { get; init; }

    /// <summary>The SASL step that handles the speculative reply's payload.</summary>
    public ISaslStep? NextStep { get; init; }

    /// <summary>Nothing to add.</summary>
    public static SpeculativeAuthentication None { get; } = new();
}
