using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.Tests.Tls;

[Collection(PkiCollection.Name)]
public sealed class TestPkiTests(PkiFixture fixture)
{
    private readonly TestPki _pki = fixture.Pki;

    [Fact]
    public void Server_certificate_names_localhost_and_both_loopback_addresses()
    {
        var san = _pki.Server.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal(["localhost"], san.EnumerateDnsNames());
        Assert.Equal(["127.0.0.1", "::1"], san.EnumerateIPAddresses().Select(a => a.ToString()));
    }

    [Fact]
    public void Leaf_certificates_chain_through_the_intermediate_to_the_root()
    {
        foreach (var identity in new[] { _pki.Server, _pki.ClientRsa, _pki.ClientEc, _pki.RevokedClient })
        {
            using var chain = ChainTo(_pki.Root.Certificate, identity);

            Assert.True(chain.Build(identity.Certificate), identity.Subject);
            Assert.Equal(
                [identity.Certificate.Thumbprint, _pki.Intermediate.Certificate.Thumbprint, _pki.Root.Certificate.Thumbprint],
                chain.ChainElements.Select(e => e.Certificate.Thumbprint));
        }
    }

    [Fact]
    public void Other_ca_client_does_not_chain_to_the_root()
    {
        using var chain = ChainTo(_pki.Root.Certificate, _pki.OtherCaClient);

        Assert.False(chain.Build(_pki.OtherCaClient.Certificate));
    }

    [Fact]
    public void Expired_certificates_ended_before_now_and_current_ones_cover_now()
    {
        var now = DateTime.Now;

        Assert.True(_pki.ExpiredServer.Certificate.NotAfter < now);
        Assert.True(_pki.ExpiredClient.Certificate.NotAfter < now);
        Assert.InRange(now, _pki.Server.Certificate.NotBefore, _pki.Server.Certificate.NotAfter);
        Assert.InRange(now, _pki.ClientEc.Certificate.NotBefore, _pki.ClientEc.Certificate.NotAfter);
    }

    [Fact]
    public void Keys_are_rsa_and_ecdsa_as_named()
    {
        using var rsa = _pki.ClientRsa.Certificate.GetRSAPrivateKey();
        using var ec = _pki.ClientEc.Certificate.GetECDsaPrivateKey();

        Assert.NotNull(rsa);
        Assert.NotNull(ec);
        Assert.Contains("-----BEGIN RSA PRIVATE KEY-----", File.ReadAllText(_pki.ClientRsa.TraditionalPemFile));
        Assert.Contains("-----BEGIN EC PRIVATE KEY-----", File.ReadAllText(_pki.ClientEc.TraditionalPemFile));
    }

    [Fact]
    public void Encrypted_key_file_holds_no_plain_key()
    {
        var text = File.ReadAllText(_pki.ClientEc.EncryptedPkcs8PemFile);

        Assert.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", text);
        Assert.DoesNotContain("-----BEGIN PRIVATE KEY-----", text);
        Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(_pki.ClientEc.CertificateOnlyPemFile));
    }

    [Fact]
    public void Crl_lists_the_revoked_client_and_server_only_and_is_bound_to_its_issuer()
    {
        var der = File.ReadAllBytes(_pki.IntermediateCrlFile);
        var crl = CertificateRevocationList.Load(der, _pki.Intermediate.Certificate);

        Assert.True(crl.IsRevoked(_pki.RevokedClient.Certificate));
        Assert.True(crl.IsRevoked(_pki.RevokedServer.Certificate));
        Assert.False(crl.IsRevoked(_pki.ClientEc.Certificate));
        Assert.False(crl.IsRevoked(_pki.Server.Certificate));
        Assert.Throws<CryptographicException>(() => CertificateRevocationList.Load(der, _pki.Root.Certificate));
        der[^1] ^= 0x01;
        Assert.Throws<CryptographicException>(() => CertificateRevocationList.Load(der, _pki.Intermediate.Certificate));
    }

    [Fact]
    public async Task Crl_distribution_point_serves_the_published_crl_and_404_otherwise()
    {
        using var http = new HttpClient();
        var uri = _pki.RevokedClient.Certificate.Extensions.OfType<X509Extension>()
            .Single(e => e.Oid?.Value == "2.5.29.31");

        var served = await http.GetByteArrayAsync(new Uri(_pki.CrlServer.UriFor("intermediate")));
        var missing = await http.GetAsync(new Uri(_pki.CrlServer.UriFor("nothing")));

        Assert.Equal(File.ReadAllBytes(_pki.IntermediateCrlFile), served);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains(_pki.CrlServer.UriFor("intermediate"), System.Text.Encoding.ASCII.GetString(uri.RawData));
    }

    [Fact]
    public void Dispose_deletes_every_generated_file()
    {
        var pki = TestPki.Create();
        var directory = pki.Directory;
        Assert.True(File.Exists(pki.ClientRsa.Pkcs12File));
        Assert.StartsWith(Path.GetTempPath(), directory, StringComparison.Ordinal);

        pki.Dispose();

        Assert.False(Directory.Exists(directory));
    }

    private static X509Chain ChainTo(X509Certificate2 root, PkiIdentity identity)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(identity.Intermediates.ToArray());
        return chain;
    }
}
