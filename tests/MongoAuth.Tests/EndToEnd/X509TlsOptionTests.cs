using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.Tls;
using MongoDB.Bson;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// Every TLS option of the connection string, active end to end: our client authenticating with MONGODB-X509 against
/// the test server, with the server presenting trusted, foreign-CA, revoked certificates or listening on an address
/// its certificate does not name.
/// </summary>
[Collection(PkiCollection.Name)]
public sealed class X509TlsOptionTests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    private async Task<BsonDocument> IdentityAsync(Mode mode, MongoTestServer server, string? caFile, string host = "localhost", params string[] options)
    {
        await using var client = new MongoClient(X509TestServer.ConnectionString(server, caFile, Pki.ClientEc.Pkcs8PemFile, host, options));
        return await X509TestServer.IdentityAsync(mode, client);
    }

    private async Task<MongoConnectionException> RefusedAsync(Mode mode, MongoTestServer server, string? caFile, string host = "localhost", params string[] options) =>
        await Assert.ThrowsAsync<MongoConnectionException>(() => IdentityAsync(mode, server, caFile, host, options));

    [Theory, BothModes]
    public async Task TlsCAFile_is_the_only_trust_even_when_the_system_store_trusts_the_server(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);
        using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(Pki.Root.Certificate);
        try
        {
            var trustedBySystem = await IdentityAsync(mode, server, caFile: null);
            var error = await RefusedAsync(mode, server, Pki.OtherCAFile);

            Assert.Equal(X509TestServer.External(Pki.ClientEc), trustedBySystem);
            Assert.Contains("chain check failed", error.Message, StringComparison.Ordinal);
            Assert.Contains("the system store is not used", error.Message, StringComparison.Ordinal);
            Assert.Contains("Set tlsCAFile to a PEM file holding the CA", error.Message, StringComparison.Ordinal);
            Assert.Contains("tlsAllowInvalidCertificates=true", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            store.Remove(Pki.Root.Certificate);
        }
    }

    [Theory, BothModes]
    public async Task A_server_certificate_from_another_ca_is_refused_without_a_tlsCAFile(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);

        var error = await RefusedAsync(mode, server, caFile: null);

        Assert.Contains("chain check failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("against the system trust store", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("isMaster"));
    }

    [Theory]
    [InlineData(Mode.Sync, "tlsAllowInvalidCertificates=true")]
    [InlineData(Mode.Async, "tlsAllowInvalidCertificates=true")]
    [InlineData(Mode.Sync, "tlsInsecure=true")]
    [InlineData(Mode.Async, "tlsInsecure=true")]
    public async Task Relaxed_certificate_checks_accept_an_untrusted_server_and_x509_still_authenticates(Mode mode, string option)
    {
        await using var server = await X509TestServer.StartAsync(Pki);

        Assert.Equal(X509TestServer.External(Pki.ClientEc), await IdentityAsync(mode, server, Pki.OtherCAFile, "localhost", option));
    }

    [Theory]
    [InlineData(Mode.Sync, "127.0.0.1")]
    [InlineData(Mode.Async, "127.0.0.1")]
    [InlineData(Mode.Sync, "::1")]
    [InlineData(Mode.Async, "::1")]
    public async Task The_ip_address_subject_alternative_names_match_loopback_addresses(Mode mode, string host)
    {
        await using var server = await X509TestServer.StartAsync(Pki, address: IPAddress.Parse(host));

        Assert.Equal(X509TestServer.External(Pki.ClientEc), await IdentityAsync(mode, server, Pki.CAFile, host));
        // SNI carries host names only, never addresses.
        Assert.All(server.Statistics.TlsServerNames, Assert.Empty);
    }

    [Theory, BothModes]
    public async Task The_host_name_is_sent_as_sni(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);

        await IdentityAsync(mode, server, Pki.CAFile);

        Assert.Equal("localhost", Assert.Single(server.Statistics.TlsServerNames.Distinct()));
    }

    [Theory, BothModes]
    public async Task A_host_name_mismatch_is_refused_unless_tlsAllowInvalidHostnames_or_tlsInsecure(Mode mode)
    {
        // 127.0.0.2 is loopback on Linux but the server certificate names only localhost, 127.0.0.1 and ::1.
        await using var server = await X509TestServer.StartAsync(Pki, address: IPAddress.Parse("127.0.0.2"));

        var error = await RefusedAsync(mode, server, Pki.CAFile, "127.0.0.2");
        var allowed = await IdentityAsync(mode, server, Pki.CAFile, "127.0.0.2", "tlsAllowInvalidHostnames=true");
        var insecure = await IdentityAsync(mode, server, Pki.CAFile, "127.0.0.2", "tlsInsecure=true");

        Assert.Contains("host-name check failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("not '127.0.0.2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("tlsAllowInvalidHostnames=true", error.Message, StringComparison.Ordinal);
        Assert.Equal(X509TestServer.External(Pki.ClientEc), allowed);
        Assert.Equal(X509TestServer.External(Pki.ClientEc), insecure);
    }

    [Theory, BothModes]
    public async Task TlsAllowInvalidHostnames_still_checks_the_chain(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki, address: IPAddress.Parse("127.0.0.2"));

        var error = await RefusedAsync(mode, server, Pki.OtherCAFile, "127.0.0.2", "tlsAllowInvalidHostnames=true");

        Assert.Contains("chain check failed", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_revoked_server_certificate_is_found_online_and_the_option_to_skip_the_check_is_named(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki, Pki.RevokedServer);

        var error = await RefusedAsync(mode, server, Pki.CAFile);

        Assert.Contains("revocation check failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("'CN=localhost,OU=revoked,O=MongoAuth,C=US' is revoked", error.Message, StringComparison.Ordinal);
        Assert.Contains("tlsDisableCertificateRevocationCheck=true", error.Message, StringComparison.Ordinal);
        // The PKI's CRL URIs are new for this run: the platform learned the status from the loopback CRL server.
        Assert.True(Pki.CrlServer.Downloads > 0, "the online check should have fetched the CRL over loopback");
    }

    [Theory]
    [InlineData(Mode.Sync, "tlsDisableCertificateRevocationCheck=true")]
    [InlineData(Mode.Async, "tlsDisableCertificateRevocationCheck=true")]
    [InlineData(Mode.Sync, "tlsAllowInvalidCertificates=true")]
    [InlineData(Mode.Async, "tlsAllowInvalidCertificates=true")]
    [InlineData(Mode.Sync, "tlsInsecure=true")]
    [InlineData(Mode.Async, "tlsInsecure=true")]
    public async Task Options_that_turn_revocation_off_accept_a_revoked_server_certificate_without_downloading(Mode mode, string option)
    {
        await using var server = await X509TestServer.StartAsync(Pki, Pki.RevokedServer);
        var downloads = Pki.CrlServer.Downloads;

        Assert.Equal(X509TestServer.External(Pki.ClientEc), await IdentityAsync(mode, server, Pki.CAFile, "localhost", option));
        Assert.Equal(downloads, Pki.CrlServer.Downloads);
    }

    [Theory, BothModes]
    public async Task TlsDisableOCSPEndpointCheck_checks_offline_with_cached_crls_only(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki, Pki.RevokedServer);
        await RefusedAsync(mode, server, Pki.CAFile);
        var downloads = Pki.CrlServer.Downloads;

        var error = await RefusedAsync(mode, server, Pki.CAFile, "localhost", "tlsDisableOCSPEndpointCheck=true");

        Assert.Contains("revocation check failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(downloads, Pki.CrlServer.Downloads);
    }

    [Theory, BothModes]
    public async Task A_valid_server_certificate_passes_the_online_revocation_check(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);

        Assert.Equal(X509TestServer.External(Pki.ClientEc), await IdentityAsync(mode, server, Pki.CAFile));
    }

    [Theory, BothModes]
    public async Task An_expired_server_certificate_is_refused_with_the_validity_period(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki, Pki.ExpiredServer);

        var error = await RefusedAsync(mode, server, Pki.CAFile);

        Assert.Contains("validity check failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("tlsAllowInvalidCertificates=true", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Mode.Sync, SslProtocols.Tls12)]
    [InlineData(Mode.Async, SslProtocols.Tls12)]
    [InlineData(Mode.Sync, SslProtocols.Tls13)]
    [InlineData(Mode.Async, SslProtocols.Tls13)]
    public async Task A_server_limited_to_one_modern_tls_version_is_accepted(Mode mode, SslProtocols protocol)
    {
        await using var server = await X509TestServer.StartAsync(Pki, protocols: protocol);

        Assert.Equal(X509TestServer.External(Pki.ClientEc), await IdentityAsync(mode, server, Pki.CAFile));
    }

    [Theory, BothModes]
    public async Task The_client_offers_tls_1_2_and_1_3_only(Mode mode)
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var hello = X509ClientHello.CaptureAsync(listener);
        await using var client = new MongoClient(
            $"mongodb://localhost:{port}/?tls=true&tlsCAFile={Uri.EscapeDataString(Pki.CAFile)}&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000");

        await Assert.ThrowsAsync<MongoConnectionException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));
        var offered = await hello;

        Assert.Equal(0x0303, offered.LegacyVersion);
        Assert.Equal([0x0303, 0x0304], offered.SupportedVersions.Order());
        Assert.Equal("localhost", offered.ServerName);
    }
}
