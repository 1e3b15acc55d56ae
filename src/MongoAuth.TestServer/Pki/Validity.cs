namespace MongoAuth.TestServer.Pki;

/// <summary>The validity period of a generated leaf certificate.</summary>
public enum Validity
{
    /// <summary>From yesterday to a year from now.</summary>
    Current,

    /// <summary>Ended yesterday.</summary>
    Expired,
}
