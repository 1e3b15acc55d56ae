using MongoAuth.Ldap;

namespace MongoAuth.Tests.Ldap;

public class UserToDnMappingTests
{
    [Fact]
    public void First_matching_substitution_rule_wins_and_escapes_captures()
    {
        var mapping = UserToDnMapping.Parse("""
            [ {match: "(.+)@ENGINEERING", substitution: "cn={0},ou=engineering,dc=example,dc=com"},
              {match: "(.+)", substitution: "uid={0},ou=users,dc=example,dc=com"} ]
            """);
        Assert.Equal(2, mapping.Rules.Count);
        var engineer = mapping.Match("Smith, John@ENGINEERING");
        Assert.Equal(0, engineer!.RuleIndex);
        Assert.Equal("cn=Smith\\, John,ou=engineering,dc=example,dc=com", engineer.Dn);
        Assert.Equal(1, mapping.Match("alice")!.RuleIndex);
        Assert.Equal("uid=alice,ou=users,dc=example,dc=com", mapping.Match("alice")!.Dn);
    }

    [Fact]
    public void Match_must_cover_the_whole_user_name()
    {
        var mapping = UserToDnMapping.Parse("""[{"match": "([a-z]+)", "substitution": "uid={0},dc=x"}]""");
        Assert.NotNull(mapping.Match("alice"));
        Assert.Null(mapping.Match("alice@EXAMPLE"));
    }

    [Fact]
    public void Ldap_query_rule_yields_a_query_with_escaped_captures()
    {
        var mapping = UserToDnMapping.Parse("""[{match: "(.+)", ldapQuery: "ou=users,dc=x??one?(uid={0})"}]""");
        var match = mapping.Match("a*b")!;
        Assert.Null(match.Dn);
        Assert.Equal(LdapScope.OneLevel, match.Query!.Scope);
        Assert.Equal("(uid=a\\2ab)", match.Query.Filter);
    }

    [Fact]
    public void No_rules_means_no_match() => Assert.Null(UserToDnMapping.Parse("  ").Match("alice"));

    [Theory]
    [InlineData("""[{match: "(.+)"}]""", "exactly one")]
    [InlineData("""[{match: "(.+)", substitution: "uid={0}", ldapQuery: "dc=x??one?(uid={0})"}]""", "exactly one")]
    [InlineData("""[{match: "(.+", substitution: "uid={0}"}]""", "regular expression")]
    [InlineData("""[{match: "(.+)", substitution: "uid={1}"}]""", "capture group")]
    [InlineData("""[{match: "(.+)", ldapQuery: "dc=x??one?(uid={0}"}]""", "ldapQuery")]
    [InlineData("""[{substitution: "uid={0}"}]""", "'match'")]
    [InlineData("""[{"match": "(.+)", "substitute": "uid={0}"}]""", "unknown key")]
    [InlineData("""{match: "(.+)"}""", "JSON array")]
    public void Rejects_invalid_rules(string json, string expected)
    {
        var e = Assert.Throws<LdapConfigurationException>(() => UserToDnMapping.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitution_that_does_not_yield_a_dn_fails_when_applied()
    {
        var mapping = UserToDnMapping.Parse("""[{match: "(.+)", substitution: "{0}"}]""");
        var e = Assert.Throws<LdapConfigurationException>(() => mapping.Match("alice"));
        Assert.Contains("not a valid distinguished name", e.Message, StringComparison.Ordinal);
    }
}
