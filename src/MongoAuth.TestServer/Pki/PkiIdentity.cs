using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Connections.Tls;

namespace MongoAuth.TestServer.Pki;

/// <summary>
/// A generated certificate with its key, written in every file format a client may be given: PEM with certificate,
/// intermediates and key in one file (the key as PKCS#1 or SEC1, PKCS#8, and encrypted PKCS#8) and PKCS#12.
/// </summary>
public sealed class PkiIdentity : IDisposable
{
    private static readonly PbeParameters KeyEncryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000);

    internal PkiIdentity(string directory, string name, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> intermediates, string password)
    {
        Certificate = certificate;
        Intermediates = intermediates;
        Subject = Rfc2253Name.Subject(certificate);
        using var key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("Generated certificates have an RSA or ECDSA key.");
        var (traditionalLabel, traditional) = key switch
        {
            RSA rsa => ("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey()),
            ECDsa ec => ("EC PRIVATE KEY", ec.ExportECPrivateKey()),
            _ => throw new InvalidOperationException("Generated certificates have an RSA or ECDSA key."),
        };

        var stem = Path.Combine(directory, name);
        TraditionalPemFile = WritePem($"{stem}.traditional.pem", traditionalLabel, traditional);
        Pkcs8PemFile = WritePem($"{stem}.pkcs8.pem", "PRIVATE KEY", key.ExportPkcs8PrivateKey());
        EncryptedPkcs8PemFile = WritePem($"{stem}.encrypted.pem", "ENCRYPTED PRIVATE KEY", key.ExportEncryptedPkcs8PrivateKey(password, KeyEncryption));
        CertificateOnlyPemFile = WritePem($"{stem}.crt.pem", null, null);
        Pkcs12File = $"{stem}.p12";
        X509Certificate2Collection bundle = [certificate, .. intermediates];
        File.WriteAllBytes(Pkcs12File, bundle.Export(X509ContentType.Pkcs12, password)!);
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificates between the leaf and the root, leaf side first.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    /// <summary>The RFC 2253 subject, which mongod uses as the X.509 user name.</summary>
    public string Subject { get; }

    /// <summary>PEM: certificate, intermediates, then the key as PKCS#1 (RSA) or SEC1 (EC).</summary>
    public string TraditionalPemFile { get; }

    /// <summary>PEM: certificate, intermediates, then the key as unencrypted PKCS#8.</summary>
    public string Pkcs8PemFile { get; }

    /// <summary>PEM: certificate, intermediates, then the key as PKCS#8 encrypted with <see cref="TestPki.Password"/>.</summary>
    public string EncryptedPkcs8PemFile { get; }

    /// <summary>PEM: certificate and intermediates without a key (for failure tests).</summary>
    public string CertificateOnlyPemFile { get; }

    /// <summary>PKCS#12 with certificate, intermediates and key, encrypted with <see cref="TestPki.Password"/>.</summary>
    public string Pkcs12File { get; }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    private string WritePem(string path, string? keyLabel, byte[]? key)
    {
        var parts = new List<string> { Certificate.ExportCertificatePem() };
        parts.AddRange(Intermediates.Select(c => c.ExportCertificatePem()));
        if (keyLabel is not null && key is not null)
        {
            parts.Add(new string(PemEncoding.Write(keyLabel, key)));
        }

        File.WriteAllText(path, string.Join('\n', parts) + "\n");
        return path;
    }
}
