using System.Security.Authentication;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.Tls;
using MongoDB.Bson;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// The client-certificate failure paths of issue 4 through our <see cref="MongoClient"/>: bad key files fail the
/// constructor and name the file (never the password); certificates the server does not accept fail the TLS handshake.
/// </summary>
[Collection(PkiCollection.Name)]
public sealed class X509CertificateFailureTests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    private string Uri(string certificateKeyFile, params string[] options) =>
        $"mongodb://localhost:27017/?tls=true&authMechanism=MONGODB-X509&tlsCAFile={System.Uri.EscapeDataString(Pki.CAFile)}" +
        $"&tlsCertificateKeyFile={System.Uri.EscapeDataString(certificateKeyFile)}" + string.Concat(options.Select(o => "&" + o));

    [Theory]
    [InlineData("encrypted")]
    [InlineData("p12")]
    public void A_wrong_key_password_names_the_file_and_not_the_password(string format)
    {
        var file = format == "p12" ? Pki.ClientEc.Pkcs12File : Pki.ClientEc.EncryptedPkcs8PemFile;
        const string wrong = "Wr0ng-Passw0rd-77";

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(Uri(file, "tlsCertificateKeyFilePassword=" + wrong)));

        Assert.Equal("tlsCertificateKeyFile", error.OptionName);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("tlsCertificateKeyFilePassword", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Pki.Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var missing = Path.Combine(Pki.Directory, "no-such-client.pem");

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(Uri(missing)));

        Assert.Equal("tlsCertificateKeyFile", error.OptionName);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused()
    {
        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(Uri(Pki.ClientEc.CertificateOnlyPemFile)));

        Assert.Equal("tlsCertificateKeyFile", error.OptionName);
        Assert.Contains("no private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_with_another_certificates_key_is_refused()
    {
        var mixed = Path.Combine(Pki.Directory, "client-ec-with-ec2-key.pem");
        var otherKey = File.ReadAllText(Pki.RevokedClient.Pkcs8PemFile);
        var key = otherKey[otherKey.IndexOf("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal)..];
        File.WriteAllText(mixed, File.ReadAllText(Pki.ClientEc.CertificateOnlyPemFile) + key);

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(Uri(mixed)));

        Assert.Equal("tlsCertificateKeyFile", error.OptionName);
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task An_expired_client_certificate_fails_the_tls_handshake(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);

        var error = await ConnectAsync(mode, server, Pki.ExpiredClient);

        Assert.Equal(0, server.Statistics.CommandsReceived("isMaster"));
        Assert.Empty(server.Statistics.TlsServerNames);
        Assert.Contains($"localhost:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("The server may have refused the client certificate", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task Under_tls_1_2_the_refusal_carries_the_same_hint(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki, protocols: SslProtocols.Tls12);

        var error = await ConnectAsync(mode, server, Pki.ExpiredClient);

        Assert.Equal(0, server.Statistics.CommandsReceived("isMaster"));
        Assert.Contains("The server may have refused the client certificate", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_client_certificate_from_an_untrusted_ca_fails_the_tls_handshake(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);

        var error = await ConnectAsync(mode, server, Pki.OtherCaClient);

        Assert.Contains("openssl verify", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("isMaster"));
        Assert.Empty(server.Statistics.TlsServerNames);
    }

    [Theory, BothModes]
    public async Task A_revoked_client_certificate_fails_the_tls_handshake_when_the_server_has_the_crl(Mode mode)
    {
        await using var checking = await X509TestServer.StartAsync(Pki, checkClientCrl: true);
        await using var notChecking = await X509TestServer.StartAsync(Pki, checkClientCrl: false);

        await ConnectAsync(mode, checking, Pki.RevokedClient);
        await using var client = new MongoClient(X509TestServer.ConnectionString(notChecking, Pki.CAFile, Pki.RevokedClient.Pkcs8PemFile));
        var identity = await X509TestServer.IdentityAsync(mode, client);

        Assert.Equal(0, checking.Statistics.CommandsReceived("isMaster"));
        // The same certificate passes a server without the CRL: the refusal above is the revocation check.
        Assert.Equal(X509TestServer.External(Pki.RevokedClient), identity);
    }

    [Theory, BothModes]
    public async Task A_valid_client_certificate_passes_a_server_that_checks_the_crl(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki, checkClientCrl: true);
        await using var client = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, Pki.ClientRsa.Pkcs8PemFile));

        Assert.Equal(X509TestServer.External(Pki.ClientRsa), await X509TestServer.IdentityAsync(mode, client));
    }

    private async Task<MongoConnectionException> ConnectAsync(Mode mode, MongoTestServer server, PkiIdentity client)
    {
        await using var mongo = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, client.Pkcs8PemFile));
        return await Assert.ThrowsAsync<MongoConnectionException>(() => mongo.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));
    }
}
