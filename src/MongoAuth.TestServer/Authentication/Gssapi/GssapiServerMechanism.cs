namespace MongoAuth.TestServer.Authentication.Gssapi;

/// <summary>
/// The server side of GSSAPI (Kerberos v5) as mongod runs it: accept the client's krb5 context with the service keys
/// of the keytab named by <c>KRB5_KTNAME</c> (set before the process starts), then the RFC 4752 security-layer step.
/// The authenticated Kerberos principal (<c>user@REALM</c>) is the <c>$external</c> user; only principals configured
/// here are let in, with their roles.
/// </summary>
public sealed class GssapiServerMechanism : IServerSaslMechanism
{
    private readonly Dictionary<string, IReadOnlyList<GrantedRole>> _users;

    /// <summary>Creates the mechanism.</summary>
    /// <param name="users">Kerberos principals (case-sensitive, with realm) and the roles each gets.</param>
    public GssapiServerMechanism(IReadOnlyDictionary<string, IReadOnlyList<GrantedRole>> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        _users = new Dictionary<string, IReadOnlyList<GrantedRole>>(users, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public string Name => "GSSAPI";

    /// <inheritdoc />
    public IServerSaslConversation Start(ServerConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.Equals(context.Database, "$external", StringComparison.Ordinal))
        {
            throw new ServerCommandException(2, "BadValue", "GSSAPI users are defined in the $external database.");
        }

        return new GssapiServerConversation(this);
    }

    /// <summary>The user a principal maps to, or null when it is not configured.</summary>
    internal AuthenticatedUser? FindUser(string principal) =>
        _users.TryGetValue(principal, out var roles) ? new AuthenticatedUser(principal, "$external", roles) : null;
}
