namespace MongoAuth.Authentication.Scram;

/// <summary>
/// SCRAM-SHA-256 (RFC 7677). The password is SASLprep'd (RFC 4013); the user name is not.
/// </summary>
public sealed class ScramSha256Mechanism : ScramMechanism
{
    /// <summary>Creates the mechanism for <paramref name="credential"/>; build one per client.</summary>
    /// <exception cref="MongoConfigurationException">The credential has no user name or password, or has properties.</exception>
    public ScramSha256Mechanism(MongoCredential credential)
        : this(credential, new ScramKeyCache(), ScramMessages.NewNonce)
    {
    }

    /// <summary>For tests and for sharing one cache: injects the key cache and the nonce generator.</summary>
    internal ScramSha256Mechanism(MongoCredential credential, ScramKeyCache keyCache, Func<string> nonceGenerator)
        : base(ScramAlgorithm.Sha256, credential, keyCache, nonceGenerator)
    {
    }
}
