using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Authentication.Plain;

namespace MongoAuth.Tests.Ldap;

public class PlainMechanismTests
{
    internal static MongoCredential Credential(string user, string? password, string? source = null) =>
        new("PLAIN", source, user, password, null);

    internal static SaslConversationContext Context(string host, bool tls = false, bool verified = false) =>
        new(new DnsEndPoint(host, 27017), tls, verified);

    [Fact]
    public async Task Sends_the_rfc_4616_message_in_one_step()
    {
        var mechanism = new PlainMechanism(Credential("user", "pencil"), allowPlainOverUnverifiedConnection: false);
        var step = mechanism.CreateFirstStep(Context("localhost"));
        var result = await step.ExecuteAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        Assert.Equal("AHVzZXIAcGVuY2ls", Convert.ToBase64String(result.Payload.Span));
        Assert.Null(result.Next);
        Assert.Equal("PLAIN", mechanism.Name);
    }

    [Fact]
    public void Payload_is_utf8() =>
        Assert.Equal([0, (byte)'j', 0xC3, 0xA9, 0, (byte)'p', 0xE2, 0x82, 0xAC], PlainMechanism.BuildPayload("jé", "p€"));

    [Theory]
    [InlineData(null, "$external")]
    [InlineData("ldapdb", "ldapdb")]
    public void Source_is_the_credential_source_else_external(string? source, string expected) =>
        Assert.Equal(expected, new PlainMechanism(Credential("u", "p", source), false).Source);

    [Theory]
    [InlineData("db.example.com", false, false)]
    [InlineData("db.example.com", true, false)]
    [InlineData("10.0.0.5", false, false)]
    public void Refuses_to_send_the_password_to_an_unverified_remote_server(string host, bool tls, bool verified)
    {
        var mechanism = new PlainMechanism(Credential("alice", "s3cret-pw"), allowPlainOverUnverifiedConnection: false);
        var e = Assert.Throws<MongoAuthenticationException>(() => mechanism.CreateFirstStep(Context(host, tls, verified)));
        Assert.Contains("AllowPlainOverUnverifiedConnection", e.Message, StringComparison.Ordinal);
        Assert.Contains("alice", e.Message, StringComparison.Ordinal);
        Assert.Contains(host, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", e.Message, StringComparison.Ordinal);
        Assert.Equal("PLAIN", e.Mechanism);
    }

    [Theory]
    [InlineData("db.example.com", true, true, false)]
    [InlineData("db.example.com", false, false, true)]
    [InlineData("localhost", false, false, false)]
    [InlineData("127.0.0.1", false, false, false)]
    [InlineData("127.8.9.10", false, false, false)]
    [InlineData("::1", false, false, false)]
    public void Sends_when_verified_loopback_or_opted_in(string host, bool tls, bool verified, bool optIn)
    {
        var mechanism = new PlainMechanism(Credential("alice", "pw"), optIn);
        Assert.NotNull(mechanism.CreateFirstStep(Context(host, tls, verified)));
    }

    [Fact]
    public void The_opt_in_is_off_by_default() => Assert.False(new MongoClientSettings().AllowPlainOverUnverifiedConnection);

    [Fact]
    public void Rejects_credentials_that_do_not_fit_plain()
    {
        Assert.Throws<MongoConfigurationException>(() => new PlainMechanism(Credential("alice", null), false));
        Assert.Throws<MongoConfigurationException>(() => new PlainMechanism(Credential("", "pw"), false));
        var withProperty = new MongoCredential("PLAIN", null, "alice", "pw",
            System.Collections.Immutable.ImmutableDictionary<string, object>.Empty.Add("SERVICE_NAME", "x"));
        var e = Assert.Throws<MongoConfigurationException>(() => new PlainMechanism(withProperty, false));
        Assert.Contains("SERVICE_NAME", e.Message, StringComparison.Ordinal);
    }
}
