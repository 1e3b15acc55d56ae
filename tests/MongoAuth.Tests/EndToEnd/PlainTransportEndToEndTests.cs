using System.Net;
using MongoAuth.Authentication;
using MongoAuth.Authentication.Plain;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.Ldap;
using MongoAuth.Tests.Tls;
using MongoDB.Bson;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// When our client sends a PLAIN password: over TLS that verified the server, to loopback, or with the code-only
/// opt-in. Tests reach only 127.0.0.1, and loopback is always allowed, so the refusal is shown by the real
/// PlainMechanism judging a connection as if its host were remote (<see cref="AsIfRemote"/>): whether the
/// connection is TLS and whether TLS verified the server still come from the engine and the real TLS handshake.
/// </summary>
public sealed class PlainTransportEndToEndTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private const string RemoteHost = "db.example.com";

    /// <summary>The built-in PLAIN, shown the connection's endpoint as <see cref="RemoteHost"/>.</summary>
    private sealed class AsIfRemote(ISaslMechanism plain) : ISaslMechanism
    {
        public string Name => plain.Name;

        public string Source => plain.Source;

        public ISaslStep CreateFirstStep(SaslConversationContext context) =>
            plain.CreateFirstStep(context with { Endpoint = new DnsEndPoint(RemoteHost, context.Endpoint.Port) });
    }

    private static MongoClientSettings AsIfRemoteSettings(PlainLdapServer server, string options = "")
    {
        var registry = MechanismRegistry.Default.WithMechanism(PlainMechanism.MechanismName, (credential, settings) =>
            new AsIfRemote(new PlainMechanism(credential, settings.AllowPlainOverUnverifiedConnection)));
        var uri = PlainLdapEndToEndTests.Uri("localhost", server.Port, "alice", LdapBackend.Password("alice"), options);
        return MongoClientSettings.FromConnectionString(uri) with { Mechanisms = registry };
    }

    /// <summary>The test server over TLS with a certificate for localhost issued by the test root (the CA file).</summary>
    private Task<PlainLdapServer> StartTlsServerAsync() => PlainLdapServer.StartAsync(fixture.Pki.Root.IssueServer(
        "CN=localhost,OU=plain,O=MongoAuth,C=US", ["localhost"], [IPAddress.Loopback], KeyAlgorithm.Ecdsa, Validity.Current));

    private string VerifiedTls => $"&tls=true&tlsCAFile={System.Uri.EscapeDataString(fixture.Pki.CAFile)}";

    private static async Task<MongoConnectionStatus> StatusAsync(Mode mode, MongoClientSettings settings)
    {
        await using var client = new MongoClient(settings);
        return await client.GetConnectionStatusIn(mode);
    }

    [Theory, BothModes]
    public async Task PLAIN_over_tls_with_a_verified_certificate_authenticates_even_to_a_remote_host(Mode mode)
    {
        await using var server = await StartTlsServerAsync();

        var status = await StatusAsync(mode, AsIfRemoteSettings(server, VerifiedTls));

        Assert.Equal([new MongoAuthenticatedUser("alice", "$external")], status.AuthenticatedUsers);
        Assert.Equal(2, status.AuthenticatedUserRoles.Count);
    }

    [Theory]
    [InlineData(Mode.Sync, "")]
    [InlineData(Mode.Async, "")]
    [InlineData(Mode.Sync, "&tls=true&tlsAllowInvalidCertificates=true")]
    [InlineData(Mode.Async, "&tls=true&tlsAllowInvalidCertificates=true")]
    [InlineData(Mode.Sync, "&tls=true&tlsInsecure=true")]
    [InlineData(Mode.Async, "&tls=true&tlsInsecure=true")]
    public async Task PLAIN_is_not_attempted_over_an_unverified_connection_to_a_remote_host(Mode mode, string options)
    {
        await using var server = options.Length == 0 ? await PlainLdapServer.StartAsync() : await StartTlsServerAsync();
        await using var client = new MongoClient(AsIfRemoteSettings(server, options));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Equal("PLAIN", error.Mechanism);
        Assert.Contains("'alice'", error.Message, StringComparison.Ordinal);
        Assert.Contains(RemoteHost, error.Message, StringComparison.Ordinal);
        Assert.Contains(options.Length == 0 ? "the connection is not TLS" : "TLS did not verify", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowPlainOverUnverifiedConnection", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LdapBackend.Password("alice"), error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Server.Statistics.CommandsReceived("saslStart"));
    }

    [Theory, BothModes]
    public async Task The_code_only_opt_in_lets_PLAIN_through_a_plaintext_connection_to_a_remote_host(Mode mode)
    {
        await using var server = await PlainLdapServer.StartAsync();

        var status = await StatusAsync(mode, AsIfRemoteSettings(server) with { AllowPlainOverUnverifiedConnection = true });

        Assert.Equal([new MongoAuthenticatedUser("alice", "$external")], status.AuthenticatedUsers);
    }

    [Theory, BothModes]
    public async Task Loopback_needs_neither_tls_nor_the_opt_in(Mode mode)
    {
        await using var server = await PlainLdapServer.StartAsync();

        var status = await StatusAsync(mode, MongoClientSettings.FromConnectionString(
            PlainLdapEndToEndTests.Uri("localhost", server.Port, "alice", LdapBackend.Password("alice"))));

        Assert.Equal([new MongoAuthenticatedUser("alice", "$external")], status.AuthenticatedUsers);
        Assert.Equal(1, server.Server.Statistics.CommandsReceived("saslStart"));
    }
}
