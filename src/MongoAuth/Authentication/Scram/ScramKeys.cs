namespace MongoAuth.Authentication.Scram;

/// <summary>
/// The keys derived from one (password, salt, iterations) for one SCRAM variant: what the client caches and what
/// a server stores (StoredKey, ServerKey). Deliberately not a record, so nothing prints the key bytes.
/// </summary>
internal sealed class ScramKeys(byte[] clientKey, byte[] serverKey, byte[] storedKey)
{
    /// <summary>ClientKey := HMAC(SaltedPassword, "Client Key").</summary>
    public byte[] ClientKey { get; } = clientKey;

    /// <summary>ServerKey := HMAC(SaltedPassword, "Server Key").</summary>
    public byte[] ServerKey { get; } = serverKey;

    /// <summary>StoredKey := H(ClientKey).</summary>
    public byte[] StoredKey { get; } = storedKey;
}
