using MongoAuth.Ldap;

namespace MongoAuth.Tests.Ldap;

public class DistinguishedNameTests
{
    [Theory]
    [InlineData("cn=readers,ou=groups,dc=example,dc=test", 4, "readers")]
    [InlineData("CN=Smith\\, John,OU=users", 2, "Smith, John")]
    [InlineData("cn=Smith\\2C John,ou=users", 2, "Smith, John")]
    [InlineData("cn=R\\+D,ou=groups", 2, "R+D")]
    [InlineData("cn=\\22Quoted\\22 Team", 1, "\"Quoted\" Team")]
    [InlineData("cn = spaced , ou = x", 2, "spaced")]
    [InlineData("cn=\\ lead and trail\\ ", 1, " lead and trail ")]
    [InlineData("cn=caf\\C3\\A9", 1, "café")]
    [InlineData("cn=José;ou=x", 2, "José")]
    [InlineData("2.5.4.3=oid", 1, "oid")]
    public void Parses_valid_names(string text, int rdnCount, string firstValue)
    {
        var dn = DistinguishedName.Parse(text);
        Assert.Equal(rdnCount, dn.Rdns.Count);
        Assert.Equal(firstValue, dn.Rdns[0][0].Value);
    }

    [Fact]
    public void Parses_multi_valued_rdns_and_hex_values()
    {
        var dn = DistinguishedName.Parse("cn=a+uid=b,ou=x");
        Assert.Equal(["cn", "uid"], dn.Rdns[0].Select(a => a.Type));
        var hex = DistinguishedName.Parse("cn=#04024869,ou=x");
        Assert.True(hex.Rdns[0][0].IsHexString);
        Assert.Equal("#04024869", hex.Rdns[0][0].Value);
        Assert.Empty(DistinguishedName.Parse("").Rdns);
    }

    [Theory]
    [InlineData("readers")]
    [InlineData("=readers")]
    [InlineData("cn=a,")]
    [InlineData("cn=a\\")]
    [InlineData("cn=a\\zz")]
    [InlineData("cn=a\"b")]
    [InlineData("cn=a<b")]
    [InlineData("c_n=a")]
    [InlineData("1.02=a")]
    [InlineData("cn=#123")]
    [InlineData("cn=\\FF\\FE")]
    public void Rejects_invalid_names(string text)
    {
        var e = Assert.Throws<FormatException>(() => DistinguishedName.Parse(text));
        Assert.Contains("RFC 4514", e.Message, StringComparison.Ordinal);
        Assert.False(DistinguishedName.TryParse(text, out _));
    }

    [Theory]
    [InlineData("cn=R\\+D,ou=groups,dc=example,dc=test", "CN=r\\2bd, OU=Groups ,DC=EXAMPLE,dc=test")]
    [InlineData("cn=Smith\\, John", "cn=Smith\\2C John")]
    [InlineData("cn=a+uid=b", "uid=b+cn=a")]
    [InlineData("cn=\\\"Quoted\\\" Team", "cn=\\22Quoted\\22 Team")]
    public void Equal_names_compare_equal_however_escaped(string left, string right)
    {
        var a = DistinguishedName.Parse(left);
        var b = DistinguishedName.Parse(right);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("cn=readers,ou=groups", "cn=writers,ou=groups")]
    [InlineData("cn=readers,ou=groups", "cn=readers")]
    [InlineData("cn=a\\,b", "cn=a,cn=b")]
    [InlineData("cn=a", "uid=a")]
    public void Different_names_differ(string left, string right) =>
        Assert.NotEqual(DistinguishedName.Parse(left), DistinguishedName.Parse(right));

    [Theory]
    [InlineData("Smith, John", "Smith\\, John")]
    [InlineData("R+D", "R\\+D")]
    [InlineData("\"q\"", "\\\"q\\\"")]
    [InlineData("#1 ", "\\#1\\ ")]
    [InlineData(" a;b<c>d\\", "\\ a\\;b\\<c\\>d\\\\")]
    [InlineData("plain", "plain")]
    public void Escapes_values_per_rfc_4514(string value, string escaped)
    {
        Assert.Equal(escaped, DistinguishedName.EscapeValue(value));
        Assert.Equal(value, DistinguishedName.Parse("cn=" + escaped).Rdns[0][0].Value);
    }

    [Fact]
    public void ToString_round_trips()
    {
        var dn = DistinguishedName.Parse("CN=Smith\\2C John,OU=users");
        Assert.Equal("CN=Smith\\, John,OU=users", dn.ToString());
        Assert.Equal(dn, DistinguishedName.Parse(dn.ToString()));
    }
}
