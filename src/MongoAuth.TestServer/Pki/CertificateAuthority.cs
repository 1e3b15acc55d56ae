using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.TestServer.Pki;

/// <summary>
/// A CA made at test time with <see cref="CertificateRequest"/>: issues CA, server and client certificates and
/// signs the CRL of the certificates it revoked. Keys live only in memory (and in the files <see cref="TestPki"/>
/// writes to its temp directory).
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private readonly List<X509Certificate2> _revoked = [];
    private readonly string? _issuedCrlUri;
    private BigInteger _crlNumber;

    private CertificateAuthority(X509Certificate2 certificate, string? issuedCrlUri)
    {
        Certificate = certificate;
        _issuedCrlUri = issuedCrlUri;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// A self-signed root. <paramref name="issuedCrlUri"/>, when given, goes into the CRL distribution point of every
    /// certificate it issues.
    /// </summary>
    public static CertificateAuthority CreateRoot(string subject, KeyAlgorithm algorithm, string? issuedCrlUri)
    {
        using var key = NewKey(algorithm);
        var request = Request(subject, key);
        AddCaExtensions(request);
        var now = DateTimeOffset.UtcNow;
        return new CertificateAuthority(request.CreateSelfSigned(now.AddDays(-365), now + CaLifetime), issuedCrlUri);
    }

    /// <summary>An intermediate CA signed by this one.</summary>
    public CertificateAuthority IssueIntermediate(string subject, KeyAlgorithm algorithm, string? issuedCrlUri)
    {
        var now = DateTimeOffset.UtcNow;
        return new CertificateAuthority(Issue(subject, algorithm, now.AddDays(-300), now + CaLifetime - TimeSpan.FromDays(1), AddCaExtensions), issuedCrlUri);
    }

    /// <summary>A TLS server certificate for the given DNS names and IP addresses.</summary>
    public X509Certificate2 IssueServer(string subject, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, KeyAlgorithm algorithm, Validity validity) =>
        IssueLeaf(subject, algorithm, validity, "1.3.6.1.5.5.7.3.1", san =>
        {
            foreach (var dns in dnsNames)
            {
                san.AddDnsName(dns);
            }

            foreach (var address in addresses)
            {
                san.AddIpAddress(address);
            }
        });

    /// <summary>A TLS client certificate (X.509 authentication).</summary>
    public X509Certificate2 IssueClient(string subject, KeyAlgorithm algorithm, Validity validity) =>
        IssueLeaf(subject, algorithm, validity, "1.3.6.1.5.5.7.3.2", null);

    /// <summary>Adds <paramref name="certificate"/> to the next <see cref="BuildCrl"/>.</summary>
    public void Revoke(X509Certificate2 certificate) => _revoked.Add(certificate);

    /// <summary>A DER CRL signed by this CA listing every revoked certificate; valid for a week.</summary>
    public byte[] BuildCrl()
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in _revoked)
        {
            builder.AddEntry(certificate, DateTimeOffset.UtcNow.AddMinutes(-5), X509RevocationReason.KeyCompromise);
        }

        _crlNumber++;
        var now = DateTimeOffset.UtcNow;
        var padding = Certificate.GetRSAPublicKey() is null ? null : RSASignaturePadding.Pkcs1;
        return builder.Build(Certificate, _crlNumber, now.AddDays(7), HashAlgorithmName.SHA256, padding, now.AddMinutes(-5));
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    private X509Certificate2 IssueLeaf(string subject, KeyAlgorithm algorithm, Validity validity, string usageOid, Action<SubjectAlternativeNameBuilder>? names)
    {
        var now = DateTimeOffset.UtcNow;
        var (notBefore, notAfter) = validity == Validity.Expired ? (now.AddDays(-30), now.AddDays(-1)) : (now.AddDays(-1), now.AddDays(365));
        return Issue(subject, algorithm, notBefore, notAfter, request =>
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            var usage = algorithm == KeyAlgorithm.Rsa ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature;
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
            if (names is not null)
            {
                var san = new SubjectAlternativeNameBuilder();
                names(san);
                request.CertificateExtensions.Add(san.Build());
            }
        });
    }

    private X509Certificate2 Issue(string subject, KeyAlgorithm algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter, Action<CertificateRequest> extend)
    {
        using var key = NewKey(algorithm);
        var request = Request(subject, key);
        extend(request);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (_issuedCrlUri is not null)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([_issuedCrlUri]));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(Certificate.SubjectName, SignatureGenerator(), notBefore, notAfter, serial);
        return key switch
        {
            RSA rsa => certificate.CopyWithPrivateKey(rsa),
            ECDsa ec => certificate.CopyWithPrivateKey(ec),
            _ => throw new InvalidOperationException("NewKey makes only RSA and ECDSA keys."),
        };
    }

    /// <summary>Signs with this CA's key, whatever the key type of the certificate being issued.</summary>
    private X509SignatureGenerator SignatureGenerator() =>
        Certificate.GetRSAPrivateKey() is { } rsa ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
        : X509SignatureGenerator.CreateForECDsa(Certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("A CA always holds its RSA or ECDSA private key."));

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
    }

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new InvalidOperationException("NewKey makes only RSA and ECDSA keys."),
        };
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static AsymmetricAlgorithm NewKey(KeyAlgorithm algorithm) =>
        algorithm == KeyAlgorithm.Rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
}
