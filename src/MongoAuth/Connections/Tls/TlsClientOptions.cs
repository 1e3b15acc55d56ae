using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.Connections.Tls;

/// <summary>
/// Builds the <see cref="SslClientAuthenticationOptions"/> of one connection from <see cref="MongoTlsSettings"/>:
/// TLS 1.2 or newer; tlsCAFile (and code-given roots) as the ONLY trust roots, never the system store as a fallback;
/// tlsAllowInvalidCertificates, tlsAllowInvalidHostnames and tlsInsecure. (Client certificates and revocation come
/// with the X.509 work and extend this file.)
/// </summary>
internal static class TlsClientOptions
{
    public static SslClientAuthenticationOptions Create(MongoTlsSettings settings, string targetHost, Action<SslPolicyErrors>? onRejected = null)
    {
        var customRoots = LoadTrustRoots(settings);
        var allowInvalidChain = settings.Insecure || settings.AllowInvalidCertificates;
        var allowInvalidName = settings.Insecure || settings.AllowInvalidHostnames;
        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = customRoots is null ? null : CustomRootPolicy(customRoots),
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
            {
                if (allowInvalidChain)
                {
                    errors &= ~(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNotAvailable);
                }
                if (allowInvalidName)
                {
                    errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
                }
                if (errors != SslPolicyErrors.None)
                {
                    onRejected?.Invoke(errors);
                    return false;
                }
                return true;
            },
        };
    }

    /// <summary>Whether the options verify both the certificate chain and the host name.</summary>
    public static bool VerifiesServerIdentity(MongoTlsSettings settings) =>
        !settings.Insecure && !settings.AllowInvalidCertificates && !settings.AllowInvalidHostnames;

    private static X509ChainPolicy CustomRootPolicy(X509Certificate2Collection roots)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    private static X509Certificate2Collection? LoadTrustRoots(MongoTlsSettings settings)
    {
        if (settings.CAFile is null && settings.TrustedRoots is null)
        {
            return null;
        }
        var roots = new X509Certificate2Collection();
        if (settings.CAFile is { } file)
        {
            try
            {
                roots.ImportFromPemFile(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new MongoConfigurationException($"tlsCAFile '{file}' could not be read as PEM certificates: {e.Message}", e) { OptionName = "tlsCAFile" };
            }
            if (roots.Count == 0)
            {
                throw new MongoConfigurationException($"tlsCAFile '{file}' holds no PEM certificate.") { OptionName = "tlsCAFile" };
            }
        }
        if (settings.TrustedRoots is { } extra)
        {
            roots.AddRange(extra);
        }
        return roots;
    }
}
