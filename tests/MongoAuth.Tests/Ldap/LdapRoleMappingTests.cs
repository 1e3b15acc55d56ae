using MongoAuth.Ldap;

namespace MongoAuth.Tests.Ldap;

public class LdapRoleMappingTests
{
    private static readonly string[] Roles =
        ["CN=dba,CN=Users,DC=example,DC=com", "cn=R\\+D,ou=groups,dc=x", "cn=analytics,CN=Users,dc=example,dc=com", "readWrite"];

    [Fact]
    public void Groups_grant_the_roles_named_for_them_and_nothing_else()
    {
        var granted = LdapRoleMapping.MapGroupsToRoles(
            ["cn=dba,CN=Users,dc=example,dc=com", "cn=admin,CN=Users,dc=example,dc=com", "cn=R\\2BD,ou=groups,dc=x"], Roles);
        Assert.Equal(["CN=dba,CN=Users,DC=example,DC=com", "cn=R\\+D,ou=groups,dc=x"], granted);
    }

    [Fact]
    public void No_matching_group_grants_no_role() =>
        Assert.Empty(LdapRoleMapping.MapGroupsToRoles(["cn=guest,CN=Users,dc=example,dc=com"], Roles));

    [Fact]
    public void A_role_name_that_is_not_a_dn_matches_only_the_identical_group_string()
    {
        Assert.Equal(["readWrite"], LdapRoleMapping.MapGroupsToRoles(["readWrite"], Roles));
        Assert.Empty(LdapRoleMapping.MapGroupsToRoles(["readwrite"], Roles));
    }

    [Fact]
    public void Duplicate_groups_grant_a_role_once() =>
        Assert.Single(LdapRoleMapping.MapGroupsToRoles(["cn=R\\+D,ou=groups,dc=x", "CN=R\\2bD,OU=groups,DC=x"], Roles));
}
