using System.Collections.Concurrent;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;

namespace MongoAuth.TestServer.Users;

/// <summary>The users a test server knows, keyed by database and name (thread-safe).</summary>
public sealed class TestUserStore
{
    /// <summary>The database of users authenticated by external mechanisms (X.509, GSSAPI, PLAIN/LDAP, …).</summary>
    public const string ExternalDatabase = "$external";

    private readonly ConcurrentDictionary<(string Db, string Name), TestUser> _users = new();

    /// <summary>
    /// Adds (or replaces) a SCRAM user stored as mongod stores it, with mongod's default iteration counts.
    /// </summary>
    /// <param name="db">The user's database.</param>
    /// <param name="user">The user name.</param>
    /// <param name="password">The password (used once to derive the stored keys, then dropped).</param>
    /// <param name="roles">The user's roles; null grants none.</param>
    /// <param name="mechanisms">The SCRAM mechanisms to store credentials for; null stores both.</param>
    public TestUser AddScramUser(string db, string user, string password, IEnumerable<GrantedRole>? roles = null,
        IEnumerable<string>? mechanisms = null)
    {
        var credentials = (mechanisms ?? ScramMechanismNames.Both)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(m => m, m => ScramStoredCredential.Create(m, user, password), StringComparer.Ordinal);
        return Add(new TestUser(db, user, [.. roles ?? []], credentials));
    }

    /// <summary>Adds (or replaces) a user of <c>$external</c>, authenticated by an external mechanism.</summary>
    /// <param name="user">The user name (principal, RFC 2253 subject, LDAP name, …).</param>
    /// <param name="roles">The user's roles; null grants none.</param>
    public TestUser AddExternalUser(string user, IEnumerable<GrantedRole>? roles = null) =>
        Add(new TestUser(ExternalDatabase, user, [.. roles ?? []], new Dictionary<string, ScramStoredCredential>()));

    /// <summary>Adds (or replaces) a user built by the caller (e.g. with a chosen iteration count or salt).</summary>
    public TestUser Add(TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _users[(user.Db, user.Name)] = user;
        return user;
    }

    /// <summary>Removes a user; returns whether it existed.</summary>
    public bool Remove(string db, string user) => _users.TryRemove((db, user), out _);

    /// <summary>Finds a user by database and name (both compared exactly, as mongod does).</summary>
    public TestUser? Find(string db, string user) => _users.GetValueOrDefault((db, user));

    /// <summary>The SCRAM account of a user for one mechanism, as <see cref="ScramServerMechanism"/> looks it up.</summary>
    public ScramAccount? FindScramAccount(string db, string user, string mechanism) =>
        Find(db, user) is { } found && found.ScramCredentials.TryGetValue(mechanism, out var credential)
            ? new ScramAccount(found.ToAuthenticatedUser(), credential)
            : null;
}
