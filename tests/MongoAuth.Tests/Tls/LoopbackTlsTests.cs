using System.Net;
using MongoAuth.Connections.Tls;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.Tests.Tls;

/// <summary>Real TLS handshakes over loopback: a plain SslStream server against the client-side machinery.</summary>
[Collection(PkiCollection.Name)]
public sealed class LoopbackTlsTests(PkiFixture fixture)
{
    private readonly TestPki _pki = fixture.Pki;

    private MongoTlsSettings Trusting => new() { CAFile = _pki.CAFile };

    [Fact]
    public async Task Trusted_chain_completes_over_ipv4_and_sends_the_host_as_sni()
    {
        var result = await LoopbackTls.RunAsync(_pki, _pki.Server, Trusting, "localhost");

        Assert.True(result.Succeeded, result.ClientError?.ToString());
        Assert.Null(result.Failure);
        Assert.Equal("localhost", result.Server.ServerName);
    }

    [Fact]
    public async Task Trusted_chain_completes_over_ipv6_checking_the_ip_san()
    {
        var result = await LoopbackTls.RunAsync(_pki, _pki.Server, Trusting, "::1", IPAddress.IPv6Loopback);

        Assert.True(result.Succeeded, result.ClientError?.ToString());
    }

    [Fact]
    public async Task Untrusted_root_is_refused_with_the_chain_message()
    {
        var result = await LoopbackTls.RunAsync(_pki, _pki.Server, new MongoTlsSettings { CAFile = _pki.OtherCAFile }, "localhost");

        Assert.False(result.Succeeded);
        Assert.NotNull(result.ClientError);
        Assert.Equal(ServerCertificateCheck.Chain, result.Failure?.Check);
        Assert.Contains("tlsAllowInvalidCertificates", result.Failure!.Message);
    }

    [Fact]
    public async Task Host_name_mismatch_is_refused_unless_allowed()
    {
        var refused = await LoopbackTls.RunAsync(_pki, _pki.Server, Trusting, "db.example.com");
        var allowed = await LoopbackTls.RunAsync(_pki, _pki.Server, Trusting with { AllowInvalidHostnames = true }, "db.example.com");

        Assert.False(refused.Succeeded);
        Assert.Equal(ServerCertificateCheck.HostName, refused.Failure?.Check);
        Assert.True(allowed.Succeeded, allowed.ClientError?.ToString());
    }

    [Fact]
    public async Task Expired_server_certificate_is_refused_unless_invalid_certificates_are_allowed()
    {
        var refused = await LoopbackTls.RunAsync(_pki, _pki.ExpiredServer, Trusting, "localhost");
        var allowed = await LoopbackTls.RunAsync(_pki, _pki.ExpiredServer, Trusting with { AllowInvalidCertificates = true }, "localhost");

        Assert.Equal(ServerCertificateCheck.Expiry, refused.Failure?.Check);
        Assert.False(refused.Succeeded);
        Assert.True(allowed.Succeeded, allowed.ClientError?.ToString());
    }

    public static TheoryData<string, string> ClientFiles() => new()
    {
        { "rsa", "traditional" }, { "rsa", "encrypted" }, { "rsa", "p12" },
        { "ec", "pkcs8" }, { "ec", "encrypted" }, { "ec", "p12" },
    };

    [Theory]
    [MemberData(nameof(ClientFiles))]
    public async Task Client_certificate_from_file_is_presented_and_its_key_works(string key, string format)
    {
        var identity = key == "rsa" ? _pki.ClientRsa : _pki.ClientEc;
        var file = format switch
        {
            "traditional" => identity.TraditionalPemFile,
            "pkcs8" => identity.Pkcs8PemFile,
            "encrypted" => identity.EncryptedPkcs8PemFile,
            _ => identity.Pkcs12File,
        };
        var settings = Trusting with { CertificateKeyFile = file, CertificateKeyFilePassword = _pki.Password };

        var result = await LoopbackTls.RunAsync(_pki, _pki.Server, settings, "localhost", requireClientCertificate: true);

        Assert.True(result.Succeeded, result.Server.RefusalReason ?? result.ClientError?.ToString());
        Assert.Equal(identity.Subject, result.Server.ClientSubject);
    }

    [Fact]
    public async Task Client_certificate_from_code_is_presented()
    {
        var settings = Trusting with { ClientCertificates = [_pki.ClientEc.Certificate, _pki.Intermediate.Certificate] };

        var result = await LoopbackTls.RunAsync(_pki, _pki.Server, settings, "localhost", requireClientCertificate: true);

        Assert.Equal("CN=client-ec,OU=eng,O=MongoAuth,C=US", result.Server.ClientSubject);
    }

    [Theory]
    [InlineData("revoked", "client certificate revoked")]
    [InlineData("expired", "client chain: NotTimeValid")]
    [InlineData("other-ca", "client chain:")]
    public async Task Bad_client_certificate_is_refused_by_the_server(string which, string reason)
    {
        // The server checks revocation offline, against the intermediate's CRL file.
        var identity = which switch
        {
            "revoked" => _pki.RevokedClient,
            "expired" => _pki.ExpiredClient,
            _ => _pki.OtherCaClient,
        };
        var settings = Trusting with { CertificateKeyFile = identity.Pkcs8PemFile };

        var result = await LoopbackTls.RunAsync(_pki, _pki.Server, settings, "localhost", requireClientCertificate: true);

        Assert.False(result.Succeeded);
        Assert.StartsWith(reason, result.Server.RefusalReason);
    }

    [Fact]
    public async Task Missing_client_certificate_is_refused_when_required()
    {
        var result = await LoopbackTls.RunAsync(_pki, _pki.Server, Trusting, "localhost", requireClientCertificate: true);

        Assert.False(result.Succeeded);
        Assert.Equal("no client certificate", result.Server.RefusalReason);
    }
}
