using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>Item 7: secrets never appear in ToString() of connection strings, settings and credentials.</summary>
public sealed class RedactionTests
{
    private const string Uri =
        "mongodb://alice:s3cretPW@h/db?proxyHost=p&proxyUsername=u&proxyPassword=pr0xyPW&tlsCertificateKeyFilePassword=k3yPW&appname=app";

    [Theory]
    [InlineData("s3cretPW")]
    [InlineData("pr0xyPW")]
    [InlineData("k3yPW")]
    public void Secrets_are_redacted_everywhere(string secret)
    {
        var parsed = ConnectionString.Parse(Uri);
        Assert.DoesNotContain(secret, parsed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, parsed.Settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, parsed.Credential!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_string_keeps_everything_else()
    {
        Assert.Equal(
            "mongodb://alice:<redacted>@h/db?proxyHost=p&proxyUsername=u&proxyPassword=<redacted>&tlsCertificateKeyFilePassword=<redacted>&appname=app",
            ConnectionString.Parse(Uri).ToString());
        var settings = ConnectionString.Parse(Uri).Settings.ToString();
        Assert.Contains("ApplicationName = app", settings, StringComparison.Ordinal);
        Assert.Contains("ProxyPassword = <redacted>", settings, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mongodb://u:s3cretPW@h/?authMechanism=MONGODB-X509")]
    [InlineData("mongodb://u:s3cretPW@h/?authMechanism=MONGODB-AWS")]
    [InlineData("mongodb://u:s3cretPW@h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test")]
    [InlineData("mongodb://u:s3cretPW@h:0")]
    [InlineData("mongodb://u:s3cretPW@h/?w")]
    [InlineData("mongodb://u:s3cretPW@h/?proxyPassword=s3cretPW")]
    [InlineData("mongodb://u:s3cretPW@h/?proxyHost=h&proxyUsername=u&proxyPassword=s3cretPW%zz")]
    [InlineData("mongodb://u:s3cretPW/@h")]
    [InlineData("mongodb://u:s3cretPW:x@h")]
    public void Errors_never_echo_secrets(string uri)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => ConnectionString.Parse(uri));
        Assert.DoesNotContain("s3cretPW", error.Message, StringComparison.Ordinal);
    }
}
