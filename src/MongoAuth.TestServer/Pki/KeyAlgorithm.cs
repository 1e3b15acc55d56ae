namespace MongoAuth.TestServer.Pki;

/// <summary>The key type of a generated certificate.</summary>
public enum KeyAlgorithm
{
    /// <summary>RSA 2048.</summary>
    Rsa,

    /// <summary>ECDSA on P-256.</summary>
    Ecdsa,
}
