using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;

namespace MongoAuth.TestServer.Users;

/// <summary>A user of the test server: its database, name, roles and, for SCRAM users, stored credentials.</summary>
/// <param name="Db">The user's database (<c>$external</c> for external users).</param>
/// <param name="Name">The user name.</param>
/// <param name="Roles">The roles connectionStatus reports once the user is authenticated.</param>
/// <param name="ScramCredentials">The SCRAM credentials by mechanism name (empty for external users).</param>
public sealed record TestUser(string Db, string Name, IReadOnlyList<GrantedRole> Roles,
    IReadOnlyDictionary<string, ScramStoredCredential> ScramCredentials)
{
    /// <summary>The mechanisms hello lists in <c>saslSupportedMechs</c> for this user.</summary>
    public IReadOnlyList<string> Mechanisms => [.. ScramCredentials.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The user as an authenticated identity.</summary>
    public AuthenticatedUser ToAuthenticatedUser() => new(Name, Db, Roles);
}
