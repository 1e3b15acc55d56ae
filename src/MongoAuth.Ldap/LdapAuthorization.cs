namespace MongoAuth.Ldap;

/// <summary>What LDAP authorization found for one user.</summary>
/// <param name="User">The user name as authenticated.</param>
/// <param name="UserDn">The user name after userToDNMapping (what replaced <c>{USER}</c>).</param>
/// <param name="Query">The authorization query that ran.</param>
/// <param name="GroupDns">The group DNs the query returned, in the order returned.</param>
/// <param name="Roles">The admin role names granted: those equal (as DNs) to one of the groups.</param>
/// <param name="FromCache">Whether the groups came from the membership cache instead of the directory.</param>
public sealed record LdapAuthorization(
    string User,
    string UserDn,
    LdapUrl Query,
    IReadOnlyList<string> GroupDns,
    IReadOnlyList<string> Roles,
    bool FromCache);
