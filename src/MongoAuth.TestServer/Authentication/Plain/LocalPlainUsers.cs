using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MongoAuth.TestServer.Authentication.Plain;

/// <summary>PLAIN users kept in memory (no LDAP), for quick tests: user, database, password and roles.</summary>
public sealed class LocalPlainUsers : IPlainUserVerifier
{
    private readonly ConcurrentDictionary<(string Db, string User), (byte[] Password, GrantedRole[] Roles)> _users = new();

    /// <summary>Adds or replaces a user on <paramref name="db"/> (usually <c>$external</c>).</summary>
    public LocalPlainUsers Add(string user, string password, string db = "$external", params GrantedRole[] roles)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentException.ThrowIfNullOrEmpty(db);
        _users[(db, user)] = (Encoding.UTF8.GetBytes(password), roles);
        return this;
    }

    /// <inheritdoc />
    public ValueTask<AuthenticatedUser> VerifyAsync(string user, string password, ServerConversationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_users.TryGetValue((context.Database, user), out var entry)
            || !CryptographicOperations.FixedTimeEquals(entry.Password, Encoding.UTF8.GetBytes(password)))
        {
            throw ServerCommandException.AuthenticationFailed();
        }
        return ValueTask.FromResult(new AuthenticatedUser(user, context.Database, entry.Roles));
    }
}
