using MongoAuth.Ldap;

namespace MongoAuth.Tests.Ldap;

public class LdapUrlTests
{
    [Fact]
    public void Parses_a_relative_memberof_query()
    {
        var url = LdapUrl.Parse("uid=alice,ou=users,dc=example,dc=test?memberOf?base");
        Assert.Equal(DistinguishedName.Parse("uid=alice,ou=users,dc=example,dc=test"), url.BaseDn);
        Assert.Equal(["memberOf"], url.Attributes);
        Assert.Equal(LdapScope.Base, url.Scope);
        Assert.Equal(LdapUrl.DefaultFilter, url.Filter);
        Assert.Null(url.HostPort);
    }

    [Fact]
    public void Parses_an_absolute_url_with_every_component_and_percent_escapes()
    {
        var url = LdapUrl.Parse("ldaps://ldap.example.com:636/ou=groups,dc=example,dc=com?cn,member?sub?(member=uid%3Dalice%2Cou%3Dusers)?!x-ext");
        Assert.Equal("ldap.example.com:636", url.HostPort);
        Assert.True(url.IsSecure);
        Assert.Equal(["cn", "member"], url.Attributes);
        Assert.Equal(LdapScope.Subtree, url.Scope);
        Assert.Equal("(member=uid=alice,ou=users)", url.Filter);
        Assert.Equal(["!x-ext"], url.Extensions);
    }

    [Theory]
    [InlineData("dc=x??one", LdapScope.OneLevel)]
    [InlineData("dc=x??SUB", LdapScope.Subtree)]
    [InlineData("dc=x??", LdapScope.Base)]
    [InlineData("dc=x", LdapScope.Base)]
    public void Reads_the_scope(string text, LdapScope scope) => Assert.Equal(scope, LdapUrl.Parse(text).Scope);

    [Theory]
    [InlineData("dc=x??everything", "scope")]
    [InlineData("dc=x?a?base?(cn=*)?ext?extra", "'?'")]
    [InlineData("dc=x?a?base?cn=alice", "parentheses")]
    [InlineData("dc=x?a?base?(&(cn=alice)", "unbalanced")]
    [InlineData("dc=x?a?base?(cn=a))(cn=b)", "unbalanced")]
    [InlineData("dc=x?a?base?(cn=a\\zz)", "hex")]
    [InlineData("dc=x%zz?a", "%")]
    [InlineData("dc=x%4", "%")]
    [InlineData("http://host/dc=x", "scheme")]
    [InlineData("not a dn?memberOf", "distinguished name")]
    public void Rejects_malformed_urls_saying_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<LdapConfigurationException>(() => LdapUrl.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ToString_percent_encodes_and_round_trips()
    {
        var url = LdapUrl.Parse("ou=groups,dc=x??one?(description=what%3F is this)");
        var text = url.ToString();
        Assert.Equal("ou=groups,dc=x??one?(description=what%3F%20is%20this)", text);
        Assert.Equal(url.Filter, LdapUrl.Parse(text).Filter);
    }

    [Fact]
    public void Query_template_requires_user_placeholder()
    {
        var e = Assert.Throws<LdapConfigurationException>(() => LdapQueryTemplate.Parse("ou=groups,dc=x??sub?(member=cn=alice)"));
        Assert.Contains("{USER}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{USER}?memberOf?bogus")]
    [InlineData("{USER}?memberOf?base?member={USER}")]
    [InlineData("{USER}?a?b?c?d?e")]
    public void Query_template_rejects_malformed_urls(string template)
    {
        var e = Assert.Throws<LdapConfigurationException>(() => LdapQueryTemplate.Parse(template));
        Assert.Contains("query template", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_template_puts_the_user_dn_in_the_base_as_is()
    {
        var url = LdapQueryTemplate.Parse("{USER}?memberOf?base").Expand("cn=Smith\\2C John,ou=users,dc=x");
        Assert.Equal(DistinguishedName.Parse("cn=Smith\\, John,ou=users,dc=x"), url.BaseDn);
    }

    [Fact]
    public void Query_template_escapes_the_user_in_a_filter_so_it_cannot_change_the_filter()
    {
        var template = LdapQueryTemplate.Parse("ou=groups,dc=x??sub?(&(objectClass=groupOfNames)(member={USER}))");
        Assert.Equal("(&(objectClass=groupOfNames)(member=cn=Smith\\5c, John\\29\\28cn=\\2a))", template.Expand("cn=Smith\\, John)(cn=*").Filter);
    }

    [Fact]
    public void Expanding_a_user_that_is_not_a_dn_into_the_base_fails_clearly()
    {
        var e = Assert.Throws<LdapConfigurationException>(() => LdapQueryTemplate.Parse("{USER}?memberOf").Expand("alice"));
        Assert.Contains("not a valid distinguished name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_escaping_follows_rfc_4515() =>
        Assert.Equal("a\\2ab\\28c\\29d\\5ce\\00", LdapFilter.EscapeValue("a*b(c)d\\e\0"));
}
