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
