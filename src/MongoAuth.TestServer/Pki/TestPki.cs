using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.TestServer.Pki;

/// <summary>
/// A complete PKI generated at run time in a fresh temp directory; nothing here is ever committed.
/// Root CA (RSA) → intermediate CA (ECDSA) → server and client certificates, plus an unrelated root with its own
/// client. Each CA publishes its CRL on a loopback <see cref="CrlDistributionPoint"/> named in the certificates it
/// issues, and <see cref="RevokedClient"/> and <see cref="RevokedServer"/> are on the intermediate's CRL. <see cref="Dispose"/> stops the CRL server
/// and deletes the directory.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private TestPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("mongoauth-pki-").FullName;
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        try
        {
            CrlServer = Own(new CrlDistributionPoint());

            Root = Own(CertificateAuthority.CreateRoot("CN=MongoAuth Test Root CA,O=MongoAuth,C=US", KeyAlgorithm.Rsa, CrlServer.UriFor("root")));
            Intermediate = Own(Root.IssueIntermediate("CN=MongoAuth Test Intermediate CA,O=MongoAuth,C=US", KeyAlgorithm.Ecdsa, CrlServer.UriFor("intermediate")));
            OtherRoot = Own(CertificateAuthority.CreateRoot("CN=Unrelated Root CA,O=Elsewhere,C=US", KeyAlgorithm.Ecdsa, null));
            CAFile = WriteCertificates("ca.pem", Root.Certificate);
            OtherCAFile = WriteCertificates("other-ca.pem", OtherRoot.Certificate);

            string[] dnsNames = ["localhost"];
            IPAddress[] addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];
            Server = Identity("server", Intermediate, Intermediate.IssueServer("CN=localhost,OU=servers,O=MongoAuth,C=US", dnsNames, addresses, KeyAlgorithm.Ecdsa, Validity.Current));
            RevokedServer = Identity("server-revoked", Intermediate, Intermediate.IssueServer("CN=localhost,OU=revoked,O=MongoAuth,C=US", dnsNames, addresses, KeyAlgorithm.Ecdsa, Validity.Current));
            ExpiredServer = Identity("server-expired", Intermediate, Intermediate.IssueServer("CN=localhost,OU=expired,O=MongoAuth,C=US", dnsNames, addresses, KeyAlgorithm.Ecdsa, Validity.Expired));
            ClientRsa = Identity("client-rsa", Intermediate, Intermediate.IssueClient("CN=client-rsa,OU=eng,O=MongoAuth,C=US", KeyAlgorithm.Rsa, Validity.Current));
            ClientEc = Identity("client-ec", Intermediate, Intermediate.IssueClient("CN=client-ec,OU=eng,O=MongoAuth,C=US", KeyAlgorithm.Ecdsa, Validity.Current));
            ExpiredClient = Identity("client-expired", Intermediate, Intermediate.IssueClient("CN=client-expired,OU=eng,O=MongoAuth,C=US", KeyAlgorithm.Ecdsa, Validity.Expired));
            RevokedClient = Identity("client-revoked", Intermediate, Intermediate.IssueClient("CN=client-revoked,OU=eng,O=MongoAuth,C=US", KeyAlgorithm.Ecdsa, Validity.Current));
            OtherCaClient = Identity("client-other-ca", OtherRoot, OtherRoot.IssueClient("CN=client-other-ca,O=Elsewhere,C=US", KeyAlgorithm.Ecdsa, Validity.Current));

            Intermediate.Revoke(RevokedClient.Certificate);
            Intermediate.Revoke(RevokedServer.Certificate);
            CrlServer.Publish("root", Root.BuildCrl());
            var intermediateCrl = Intermediate.BuildCrl();
            CrlServer.Publish("intermediate", intermediateCrl);
            IntermediateCrlFile = Path.Combine(Directory, "intermediate.crl");
            File.WriteAllBytes(IntermediateCrlFile, intermediateCrl);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The temp directory holding every file; deleted by <see cref="Dispose"/>.</summary>
    public string Directory { get; }

    /// <summary>The password of every encrypted key file and PKCS#12 file (random per PKI).</summary>
    public string Password { get; }

    /// <summary>Serves the CRLs the certificates point to.</summary>
    public CrlDistributionPoint CrlServer { get; }

    /// <summary>The trusted root (RSA).</summary>
    public CertificateAuthority Root { get; }

    /// <summary>The intermediate CA (ECDSA) that issues every server and client certificate except <see cref="OtherCaClient"/>.</summary>
    public CertificateAuthority Intermediate { get; }

    /// <summary>A root nobody trusts.</summary>
    public CertificateAuthority OtherRoot { get; }

    /// <summary>PEM file with the root certificate (the <c>tlsCAFile</c> of clients and of the server).</summary>
    public string CAFile { get; }

    /// <summary>PEM file with the unrelated root certificate.</summary>
    public string OtherCAFile { get; }

    /// <summary>DER CRL of the intermediate CA, listing <see cref="RevokedClient"/> and <see cref="RevokedServer"/> (for offline checks).</summary>
    public string IntermediateCrlFile { get; }

    /// <summary>Server certificate for localhost, 127.0.0.1 and ::1.</summary>
    public PkiIdentity Server { get; }

    /// <summary>Like <see cref="Server"/> but revoked on the intermediate's CRL.</summary>
    public PkiIdentity RevokedServer { get; }

    /// <summary>Like <see cref="Server"/> but expired.</summary>
    public PkiIdentity ExpiredServer { get; }

    /// <summary>Valid client certificate with an RSA key.</summary>
    public PkiIdentity ClientRsa { get; }

    /// <summary>Valid client certificate with an ECDSA key.</summary>
    public PkiIdentity ClientEc { get; }

    /// <summary>Expired client certificate.</summary>
    public PkiIdentity ExpiredClient { get; }

    /// <summary>Client certificate revoked on the intermediate's CRL.</summary>
    public PkiIdentity RevokedClient { get; }

    /// <summary>Client certificate issued by <see cref="OtherRoot"/>.</summary>
    public PkiIdentity OtherCaClient { get; }

    /// <summary>Generates the PKI and writes its files.</summary>
    public static TestPki Create() => new();

    /// <inheritdoc />
    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private PkiIdentity Identity(string name, CertificateAuthority issuer, X509Certificate2 certificate)
    {
        X509Certificate2[] intermediates = ReferenceEquals(issuer, Intermediate) ? [Intermediate.Certificate] : [];
        return Own(new PkiIdentity(Directory, name, certificate, intermediates, Password));
    }

    private string WriteCertificates(string name, params X509Certificate2[] certificates)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));
        return path;
    }
}
