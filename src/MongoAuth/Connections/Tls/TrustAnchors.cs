using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.Connections.Tls;

/// <summary>
/// The trust roots for the server certificate. When the settings name any (<c>tlsCAFile</c> or
/// <see cref="MongoTlsSettings.TrustedRoots"/>), they are the ONLY roots: the system store is never consulted.
/// </summary>
internal static class TrustAnchors
{
    private const string Option = "tlsCAFile";

    /// <summary>
    /// The custom roots from <paramref name="settings"/>, or <see langword="null"/> when none are configured and the
    /// system store applies.
    /// </summary>
    public static X509Certificate2Collection? Resolve(MongoTlsSettings settings)
    {
        if (settings.CAFile is null && settings.TrustedRoots is null)
        {
            return null;
        }

        var roots = settings.CAFile is null ? [] : LoadFile(settings.CAFile);
        if (settings.TrustedRoots is not null)
        {
            roots.AddRange(settings.TrustedRoots);
        }

        return roots;
    }

    /// <summary>Loads every certificate of a PEM bundle.</summary>
    /// <exception cref="MongoConfigurationException">The file is missing, unreadable, empty or not PEM certificates.</exception>
    public static X509Certificate2Collection LoadFile(string path)
    {
        var text = TlsFiles.ReadText(path, Option);
        var roots = new X509Certificate2Collection();
        foreach (var block in PemBlocks.Read(text).Where(b => b.Label == "CERTIFICATE"))
        {
            try
            {
                roots.Add(X509CertificateLoader.LoadCertificate(block.Der));
            }
            catch (CryptographicException e)
            {
                throw TlsFiles.Error(Option, $"tlsCAFile '{path}' holds a CERTIFICATE block that is not a valid X.509 certificate.", e);
            }
        }

        if (roots.Count == 0)
        {
            throw TlsFiles.Error(Option,
                $"tlsCAFile '{path}' holds no PEM certificate ('-----BEGIN CERTIFICATE-----'). " +
                "It must be a PEM bundle of CA certificates; convert a DER file with 'openssl x509 -inform der -in ca.der -out ca.pem'.");
        }

        return roots;
    }
}
