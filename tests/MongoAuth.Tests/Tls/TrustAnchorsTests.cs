using MongoAuth.Connections.Tls;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.Tests.Tls;

[Collection(PkiCollection.Name)]
public sealed class TrustAnchorsTests(PkiFixture fixture) : IDisposable
{
    private readonly TestPki _pki = fixture.Pki;
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("mongoauth-anchors-");

    [Fact]
    public void Loads_every_certificate_of_a_pem_bundle()
    {
        var bundle = Write("bundle.pem", "comment lines are ignored\n" + _pki.Root.Certificate.ExportCertificatePem() + "\n" + _pki.OtherRoot.Certificate.ExportCertificatePem());

        var roots = TrustAnchors.LoadFile(bundle);

        Assert.Equal([_pki.Root.Certificate.Thumbprint, _pki.OtherRoot.Certificate.Thumbprint], roots.Select(c => c.Thumbprint));
    }

    [Fact]
    public void No_ca_setting_means_the_system_store()
    {
        Assert.Null(TrustAnchors.Resolve(new MongoTlsSettings { CertificateKeyFile = "client.pem" }));
    }

    [Fact]
    public void Ca_file_and_roots_from_code_are_combined()
    {
        var roots = TrustAnchors.Resolve(new MongoTlsSettings { CAFile = _pki.CAFile, TrustedRoots = [_pki.OtherRoot.Certificate] });

        Assert.NotNull(roots);
        Assert.Equal([_pki.Root.Certificate.Thumbprint, _pki.OtherRoot.Certificate.Thumbprint], roots.Select(c => c.Thumbprint));
    }

    [Fact]
    public void Missing_file_is_an_error_not_a_fallback()
    {
        var path = Path.Combine(_scratch.FullName, "nope.pem");

        var error = Assert.Throws<MongoConfigurationException>(() => TrustAnchors.Resolve(new MongoTlsSettings { CAFile = path }));

        Assert.Equal("tlsCAFile", error.OptionName);
        Assert.Contains($"'{path}' does not exist", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a certificate at all")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    public void File_without_pem_certificates_is_an_error(string content)
    {
        var path = Write("empty.pem", content);

        var error = Assert.Throws<MongoConfigurationException>(() => TrustAnchors.LoadFile(path));

        Assert.Contains("holds no PEM certificate", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Der_file_gets_the_conversion_hint()
    {
        var path = Path.Combine(_scratch.FullName, "ca.der");
        File.WriteAllBytes(path, _pki.Root.Certificate.RawData);

        var error = Assert.Throws<MongoConfigurationException>(() => TrustAnchors.LoadFile(path));

        Assert.Contains("openssl x509 -inform der", error.Message);
    }

    [Fact]
    public void Damaged_certificate_block_is_an_error()
    {
        var path = Write("bad.pem", "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<MongoConfigurationException>(() => TrustAnchors.LoadFile(path));

        Assert.Contains("not a valid X.509 certificate", error.Message);
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_scratch.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
