using System.Globalization;

namespace MongoAuth.Ldap;

/// <summary>How the connection to the LDAP server is protected.</summary>
public enum LdapTransportSecurity
{
    /// <summary>Plain LDAP (only sensible on loopback or a trusted network).</summary>
    None,
    /// <summary>LDAP upgraded with the StartTLS extended operation before binding.</summary>
    StartTls,
    /// <summary>LDAP over TLS from the first byte (<c>ldaps</c>, port 636 by default).</summary>
    Ldaps,
}

/// <summary>
/// The <c>security.ldap.*</c> settings of mongod that LDAP authorization needs. <see cref="ToString"/> never shows
/// <see cref="QueryPassword"/>.
/// </summary>
public sealed class LdapAuthorizationOptions
{
    /// <summary><c>security.ldap.servers</c>: <c>host[:port]</c> entries tried in order (port 389, or 636 with ldaps).</summary>
    public required IReadOnlyList<string> Servers { get; init; }

    /// <summary><c>security.ldap.bind.queryUser</c>: the DN the server binds as for queries; null = anonymous.</summary>
    public string? QueryUser { get; init; }

    /// <summary><c>security.ldap.bind.queryPassword</c>. Never printed.</summary>
    public string? QueryPassword { get; init; }

    /// <summary><c>security.ldap.authz.queryTemplate</c>.</summary>
    public required LdapQueryTemplate QueryTemplate { get; init; }

    /// <summary><c>security.ldap.userToDNMapping</c>. Default: no rules (user names are DNs already).</summary>
    public UserToDnMapping UserToDnMapping { get; init; } = UserToDnMapping.None;

    /// <summary>Plain, StartTLS or ldaps. Default plain.</summary>
    public LdapTransportSecurity TransportSecurity { get; init; }

    /// <summary><c>security.ldap.timeoutMS</c>: limit on each LDAP operation. Default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>ldapUserCacheInvalidationInterval</c>: how long a user's groups are reused before the directory is asked
    /// again. Default 30 s, as in mongod; <see cref="TimeSpan.Zero"/> disables the cache.
    /// </summary>
    public TimeSpan UserCacheInvalidationInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The settings without the password.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"servers={string.Join(",", Servers)} queryUser={QueryUser ?? "(anonymous)"} queryTemplate={QueryTemplate} userToDNMapping={UserToDnMapping.Rules.Count} rule(s) transport={TransportSecurity}");

    internal void Validate()
    {
        if (Servers is null || Servers.Count == 0 || Servers.Any(string.IsNullOrWhiteSpace))
        {
            throw new LdapConfigurationException("security.ldap.servers must list at least one host[:port].");
        }
        ArgumentNullException.ThrowIfNull(QueryTemplate);
        ArgumentNullException.ThrowIfNull(UserToDnMapping);
        if (Timeout <= TimeSpan.Zero || UserCacheInvalidationInterval < TimeSpan.Zero)
        {
            throw new LdapConfigurationException("The LDAP timeout must be positive and the cache invalidation interval not negative.");
        }
    }
}
