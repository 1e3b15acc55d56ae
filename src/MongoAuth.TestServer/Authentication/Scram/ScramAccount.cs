namespace MongoAuth.TestServer.Authentication.Scram;

/// <summary>A SCRAM user as the server's user store hands it to a conversation.</summary>
/// <param name="User">Who the conversation authenticates when the proof is right, with their roles.</param>
/// <param name="Credential">The stored credential for the mechanism that asked.</param>
public sealed record ScramAccount(AuthenticatedUser User, ScramStoredCredential Credential);

/// <summary>Finds a user's stored credential for one SCRAM mechanism; null when there is none.</summary>
/// <param name="database">The saslStart <c>$db</c> (the user's source).</param>
/// <param name="username">The user name from client-first, unescaped.</param>
/// <param name="mechanism">SCRAM-SHA-1 or SCRAM-SHA-256.</param>
public delegate ScramAccount? ScramAccountLookup(string database, string username, string mechanism);

/// <summary>
/// Test-only misbehaviour of the SCRAM server, so the client's failure paths can be tested end to end. The default
/// (<see cref="None"/>) is an honest server.
/// </summary>
public sealed record ScramServerTestOptions
{
    /// <summary>An honest server.</summary>
    public static ScramServerTestOptions None { get; } = new();

    /// <summary>Flip a bit of the server signature <c>v=</c> (the client must refuse it).</summary>
    public bool TamperServerSignature { get; init; }

    /// <summary>Send a server nonce that does not start with the client's nonce (the client must refuse it).</summary>
    public bool UnprefixedServerNonce { get; init; }

    /// <summary>Advertise this iteration count in server-first instead of the stored one (e.g. 1000).</summary>
    public int? AdvertisedIterationCount { get; init; }
}
