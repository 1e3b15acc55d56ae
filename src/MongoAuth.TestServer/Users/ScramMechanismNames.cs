namespace MongoAuth.TestServer.Users;

/// <summary>The SCRAM mechanism names the user store keeps credentials for.</summary>
public static class ScramMechanismNames
{
    /// <summary>SCRAM-SHA-1.</summary>
    public const string Sha1 = "SCRAM-SHA-1";

    /// <summary>SCRAM-SHA-256.</summary>
    public const string Sha256 = "SCRAM-SHA-256";

    /// <summary>Both SCRAM mechanisms, the default of a new user (as mongod's createUser).</summary>
    public static IReadOnlyList<string> Both { get; } = [Sha256, Sha1];
}
