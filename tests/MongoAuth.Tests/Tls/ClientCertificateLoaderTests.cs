using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Connections.Tls;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.Tests.Tls;

[Collection(PkiCollection.Name)]
public sealed class ClientCertificateLoaderTests(PkiFixture fixture) : IDisposable
{
    private readonly TestPki _pki = fixture.Pki;
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("mongoauth-loader-");

    public static TheoryData<string, string> Formats() => new()
    {
        { "rsa", "traditional" }, { "rsa", "pkcs8" }, { "rsa", "encrypted" }, { "rsa", "p12" },
        { "ec", "traditional" }, { "ec", "pkcs8" }, { "ec", "encrypted" }, { "ec", "p12" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Loads_certificate_with_a_usable_private_key_and_its_intermediate(string key, string format)
    {
        var identity = Identity(key);

        var loaded = ClientCertificateLoader.LoadFile(File(identity, format), _pki.Password);

        Assert.Equal(identity.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal([_pki.Intermediate.Certificate.Thumbprint], loaded.Intermediates.Select(c => c.Thumbprint));
        AssertKeySigns(loaded.Certificate);
    }

    [Fact]
    public void Unencrypted_files_load_without_a_password_and_ignore_one_given()
    {
        Assert.True(ClientCertificateLoader.LoadFile(_pki.ClientEc.Pkcs8PemFile, null).Certificate.HasPrivateKey);
        Assert.True(ClientCertificateLoader.LoadFile(_pki.ClientRsa.TraditionalPemFile, "unused").Certificate.HasPrivateKey);
    }

    [Fact]
    public void Leaf_is_found_by_its_key_wherever_it_sits_in_the_file()
    {
        var path = Write("reordered.pem",
            _pki.Intermediate.Certificate.ExportCertificatePem(), _pki.ClientEc.Certificate.ExportCertificatePem(), KeyPem(_pki.ClientEc));

        var loaded = ClientCertificateLoader.LoadFile(path, null);

        Assert.Equal(_pki.ClientEc.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
    }

    [Theory]
    [InlineData("encrypted")]
    [InlineData("p12")]
    public void Wrong_password_names_the_file_and_never_the_password(string format)
    {
        var path = File(_pki.ClientRsa, format);
        const string wrong = "Not-The-Password-42";

        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(path, wrong));

        Assert.Contains(path, error.Message);
        Assert.Contains("password", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("wrong", error.Message);
        Assert.DoesNotContain(wrong, error.ToString());
        Assert.Equal("tlsCertificateKeyFile", error.OptionName);
    }

    [Theory]
    [InlineData("encrypted")]
    [InlineData("p12")]
    public void Encrypted_file_without_password_asks_for_tlsCertificateKeyFilePassword(string format)
    {
        var path = File(_pki.ClientEc, format);

        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(path, null));

        Assert.Contains("tlsCertificateKeyFilePassword", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var path = Path.Combine(_scratch.FullName, "absent.pem");

        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(path, null));

        Assert.Contains($"'{path}' does not exist", error.Message);
    }

    [Fact]
    public void Certificate_without_private_key_is_refused()
    {
        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(_pki.ClientEc.CertificateOnlyPemFile, null));

        Assert.Contains("no private key", error.Message);
        Assert.Contains(_pki.ClientEc.CertificateOnlyPemFile, error.Message);
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public void Certificate_and_key_that_do_not_match_are_refused(string keyOf)
    {
        var path = Write("mismatch.pem", _pki.ExpiredClient.Certificate.ExportCertificatePem(), KeyPem(Identity(keyOf)));

        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(path, null));

        Assert.Contains("does not match", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Key_without_certificate_is_refused()
    {
        var path = Write("key-only.pem", KeyPem(_pki.ClientEc));

        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(path, null));

        Assert.Contains("holds no certificate", error.Message);
    }

    [Fact]
    public void Two_keys_are_refused()
    {
        var path = Write("two-keys.pem", _pki.ClientEc.Certificate.ExportCertificatePem(), KeyPem(_pki.ClientEc), KeyPem(_pki.ClientRsa));

        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(path, null));

        Assert.Contains("2 private keys", error.Message);
    }

    [Fact]
    public void Legacy_openssl_encryption_is_explained_with_the_conversion_command()
    {
        var path = Write("legacy.pem", _pki.ClientRsa.Certificate.ExportCertificatePem(),
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----");

        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(path, "x"));

        Assert.Contains("openssl pkcs8 -topk8", error.Message);
    }

    [Fact]
    public void Damaged_certificate_and_key_blocks_are_reported()
    {
        var garbage = Convert.ToBase64String(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 });
        var badCertificate = Write("bad-cert.pem", $"-----BEGIN CERTIFICATE-----\n{garbage}\n-----END CERTIFICATE-----", KeyPem(_pki.ClientEc));
        var badKey = Write("bad-key.pem", _pki.ClientEc.Certificate.ExportCertificatePem(), $"-----BEGIN PRIVATE KEY-----\n{garbage}\n-----END PRIVATE KEY-----");

        Assert.Contains("not a valid X.509 certificate", Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(badCertificate, null)).Message);
        Assert.Contains("not a valid key", Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.LoadFile(badKey, null)).Message);
    }

    [Fact]
    public void Certificates_from_code_keep_their_key_and_send_the_rest_as_intermediates()
    {
        var settings = new MongoTlsSettings { ClientCertificates = [_pki.ClientEc.Certificate, _pki.Intermediate.Certificate] };

        var loaded = ClientCertificateLoader.Resolve(settings);

        Assert.NotNull(loaded);
        Assert.Same(_pki.ClientEc.Certificate, loaded.Certificate);
        Assert.Equal([_pki.Intermediate.Certificate.Thumbprint], loaded.Intermediates.Select(c => c.Thumbprint));
    }

    [Fact]
    public void Certificate_from_code_without_private_key_is_refused()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_pki.ClientEc.Certificate.RawData);

        var error = Assert.Throws<MongoConfigurationException>(() => ClientCertificateLoader.FromCode([publicOnly]));

        Assert.Contains("has no private key", error.Message);
        Assert.Equal("ClientCertificates", error.OptionName);
    }

    [Fact]
    public void Resolve_prefers_the_file_and_returns_null_without_a_certificate()
    {
        var both = new MongoTlsSettings { CertificateKeyFile = _pki.ClientRsa.Pkcs8PemFile, ClientCertificates = [_pki.ClientEc.Certificate] };

        Assert.Null(ClientCertificateLoader.Resolve(new MongoTlsSettings()));
        Assert.Equal(_pki.ClientRsa.Certificate.Thumbprint, ClientCertificateLoader.Resolve(both)!.Certificate.Thumbprint);
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private PkiIdentity Identity(string key) => key == "rsa" ? _pki.ClientRsa : _pki.ClientEc;

    private static string File(PkiIdentity identity, string format) => format switch
    {
        "traditional" => identity.TraditionalPemFile,
        "pkcs8" => identity.Pkcs8PemFile,
        "encrypted" => identity.EncryptedPkcs8PemFile,
        "p12" => identity.Pkcs12File,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static string KeyPem(PkiIdentity identity)
    {
        using var key = (AsymmetricAlgorithm?)identity.Certificate.GetRSAPrivateKey() ?? identity.Certificate.GetECDsaPrivateKey()!;
        return key.ExportPkcs8PrivateKeyPem();
    }

    private string Write(string name, params string[] blocks)
    {
        var path = Path.Combine(_scratch.FullName, name);
        System.IO.File.WriteAllText(path, string.Join('\n', blocks) + "\n");
        return path;
    }

    private static void AssertKeySigns(X509Certificate2 certificate)
    {
        var data = "proof of possession"u8.ToArray();
        using var rsa = certificate.GetRSAPrivateKey();
        using var ec = certificate.GetECDsaPrivateKey();
        if (rsa is not null)
        {
            var signature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            Assert.True(certificate.GetRSAPublicKey()!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        else
        {
            Assert.NotNull(ec);
            var signature = ec.SignData(data, HashAlgorithmName.SHA256);
            Assert.True(certificate.GetECDsaPublicKey()!.VerifyData(data, signature, HashAlgorithmName.SHA256));
        }
    }
}
