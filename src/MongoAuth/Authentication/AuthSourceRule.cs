namespace MongoAuth.Authentication;

/// <summary>
/// Where a mechanism authenticates (the <c>$db</c> of its commands), as the MongoDB authentication specification
/// defines it per mechanism: <see cref="ExternalOnly"/> for mechanisms whose users live outside the server (GSSAPI,
/// X.509, AWS, OIDC), <see cref="DatabaseOrExternal"/> for PLAIN and <see cref="DatabaseOrAdmin"/> for SCRAM.
/// </summary>
public sealed class AuthSourceRule
{
    /// <summary>The database of users defined outside the server (LDAP, Kerberos, certificates, cloud identities).</summary>
    public const string External = "$external";

    /// <summary>The database SCRAM users are defined in when nothing else is said.</summary>
    public const string Admin = "admin";

    private AuthSourceRule(string defaultSource, bool acceptsOtherDatabases)
    {
        Default = defaultSource;
        AcceptsOtherDatabases = acceptsOtherDatabases;
    }

    /// <summary><c>$external</c> and nothing else; the database of the connection string is not the source.</summary>
    public static AuthSourceRule ExternalOnly { get; } = new(External, acceptsOtherDatabases: false);

    /// <summary><c>authSource</c>, else the database of the connection string, else <c>$external</c> (PLAIN).</summary>
    public static AuthSourceRule DatabaseOrExternal { get; } = new(External, acceptsOtherDatabases: true);

    /// <summary><c>authSource</c>, else the database of the connection string, else <c>admin</c> (SCRAM, and the
    /// rule of a mechanism registered without one).</summary>
    public static AuthSourceRule DatabaseOrAdmin { get; } = new(Admin, acceptsOtherDatabases: true);

    /// <summary>The source used when the credential names none.</summary>
    public string Default { get; }

    /// <summary>Whether <c>authSource</c> (or the connection string's database) may name another database.</summary>
    public bool AcceptsOtherDatabases { get; }

    /// <summary>The source actually used for a credential whose source is <paramref name="source"/> (null = not given).</summary>
    public string Resolve(string? source) => AcceptsOtherDatabases ? source ?? Default : Default;

    /// <summary>The source a connection string gives: <c>authSource</c> when present, else its database when this
    /// rule takes one, else null (the default applies).</summary>
    internal string? FromConnectionString(string? authSource, string? database) =>
        authSource ?? (AcceptsOtherDatabases ? database : null);
}
