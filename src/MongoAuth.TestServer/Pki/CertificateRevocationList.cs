using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.TestServer.Pki;

/// <summary>
/// A CRL read from a file and verified against its issuer, for a server that checks client certificates offline
/// (like mongod's <c>tlsCRLFile</c>): no download, no platform cache. Supports the SHA-256 RSA and ECDSA
/// signatures <see cref="CertificateAuthority"/> makes.
/// </summary>
public sealed class CertificateRevocationList
{
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    private readonly HashSet<BigInteger> _revokedSerials;

    private CertificateRevocationList(X500DistinguishedName issuer, HashSet<BigInteger> revokedSerials)
    {
        Issuer = issuer;
        _revokedSerials = revokedSerials;
    }

    /// <summary>The CA that signed the list.</summary>
    public X500DistinguishedName Issuer { get; }

    /// <summary>Parses a DER CRL and checks that <paramref name="issuer"/> signed it.</summary>
    /// <exception cref="CryptographicException">The CRL is malformed, from another issuer or its signature is wrong.</exception>
    public static CertificateRevocationList Load(ReadOnlyMemory<byte> der, X509Certificate2 issuer)
    {
        try
        {
            var list = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var tbsBytes = list.ReadEncodedValue();
            var algorithm = list.ReadSequence().ReadObjectIdentifier();
            var signature = list.ReadBitString(out _);
            if (!VerifySignature(issuer, algorithm, tbsBytes.Span, signature))
            {
                throw new CryptographicException($"The CRL is not signed by '{issuer.Subject}'.");
            }

            return Parse(new AsnReader(tbsBytes, AsnEncodingRules.DER).ReadSequence(), issuer);
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("The CRL is not valid DER.", e);
        }
    }

    /// <summary>Whether <paramref name="certificate"/>, issued by <see cref="Issuer"/>, is on the list.</summary>
    public bool IsRevoked(X509Certificate2 certificate) =>
        certificate.IssuerName.RawData.AsSpan().SequenceEqual(Issuer.RawData) && _revokedSerials.Contains(Serial(certificate.SerialNumberBytes.Span));

    private static CertificateRevocationList Parse(AsnReader tbs, X509Certificate2 issuer)
    {
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        tbs.ReadSequence();
        var issuerName = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        if (!issuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
        {
            throw new CryptographicException($"The CRL is issued by '{issuerName.Name}', not '{issuer.Subject}'.");
        }

        tbs.ReadEncodedValue();
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            tbs.ReadEncodedValue();
        }

        var serials = new HashSet<BigInteger>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                serials.Add(Serial(entries.ReadSequence().ReadIntegerBytes().Span));
            }
        }

        return new CertificateRevocationList(issuerName, serials);
    }

    private static bool VerifySignature(X509Certificate2 issuer, string algorithm, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> signature)
    {
        switch (algorithm)
        {
            case Sha256WithRsa:
                using (var rsa = issuer.GetRSAPublicKey())
                {
                    return rsa is not null && rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

            case EcdsaWithSha256:
                using (var ec = issuer.GetECDsaPublicKey())
                {
                    return ec is not null && ec.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                }

            default:
                throw new CryptographicException($"CRL signature algorithm {algorithm} is not supported.");
        }
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static BigInteger Serial(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);
}
