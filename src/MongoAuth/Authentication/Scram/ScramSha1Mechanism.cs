namespace MongoAuth.Authentication.Scram;

/// <summary>
/// SCRAM-SHA-1 (RFC 5802). The password is MongoDB's digest <c>HEX(MD5(user + ":mongo:" + password))</c> and is
/// not SASLprep'd.
/// </summary>
public sealed class ScramSha1Mechanism : ScramMechanism
{
    /// <summary>Creates the mechanism for <paramref name="credential"/>; build one per client.</summary>
    /// <exception cref="MongoConfigurationException">The credential has no user name or password, or has properties.</exception>
    public ScramSha1Mechanism(MongoCredential credential)
        : this(credential, new ScramKeyCache(), ScramMessages.NewNonce)
    {
    }

    /// <summary>For tests and for sharing one cache: injects the key cache and the nonce generator.</summary>
    internal ScramSha1Mechanism(MongoCredential credential, ScramKeyCache keyCache, Func<string> nonceGenerator)
        : base(ScramAlgorithm.Sha1, credential, keyCache, nonceGenerator)
    {
    }
}
