namespace MongoAuth.Ldap;

/// <summary>MongoDB's group-to-role rule: a group grants the admin role whose name is the group's DN.</summary>
public static class LdapRoleMapping
{
    /// <summary>
    /// The role names (as given) that equal one of the group DNs as distinguished names: escaping (<c>\2C</c> or
    /// <c>\,</c>), case and spaces around separators do not matter. A name that is not a DN matches only the identical
    /// string. Groups that match no role grant nothing.
    /// </summary>
    public static IReadOnlyList<string> MapGroupsToRoles(IEnumerable<string> groupDns, IEnumerable<string> roleNames)
    {
        ArgumentNullException.ThrowIfNull(groupDns);
        ArgumentNullException.ThrowIfNull(roleNames);
        var roles = roleNames.Select(r => (Name: r, Dn: DistinguishedName.TryParse(r, out var dn) ? dn : null)).ToList();
        var granted = new List<string>();
        foreach (var group in groupDns)
        {
            DistinguishedName.TryParse(group, out var groupDn);
            foreach (var role in roles)
            {
                var equal = groupDn is not null && role.Dn is not null
                    ? groupDn.Equals(role.Dn)
                    : string.Equals(group, role.Name, StringComparison.Ordinal);
                if (equal && !granted.Contains(role.Name, StringComparer.Ordinal))
                {
                    granted.Add(role.Name);
                }
            }
        }
        return granted;
    }
}
