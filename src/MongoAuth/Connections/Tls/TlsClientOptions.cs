using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.Connections.Tls;

/// <summary>
/// The TLS configuration of one client, loaded once when the client is built (so a bad <c>tlsCAFile</c> or
/// <c>tlsCertificateKeyFile</c> fails the constructor): the trust roots (tlsCAFile and code-given roots are the ONLY
/// roots, never the system store as a fallback) and the client certificate. <see cref="Create"/> builds the
/// <see cref="SslClientAuthenticationOptions"/> of one connection: TLS 1.2 or newer, the server certificate checked
/// by a <see cref="ServerCertificateValidator"/> (chain, validity, revocation, host name, and the allow-invalid
/// options), the client certificate with its intermediates.
/// </summary>
internal sealed class TlsClientOptions
{
    private readonly MongoTlsSettings _settings;
    private readonly X509Certificate2Collection? _trustAnchors;
    private readonly SslStreamCertificateContext? _clientCertificate;

    public TlsClientOptions(MongoTlsSettings settings)
    {
        _settings = settings;
        _trustAnchors = TrustAnchors.Resolve(settings);
        if (ClientCertificateLoader.Resolve(settings) is { } client)
        {
            _clientCertificate = SslStreamCertificateContext.Create(client.Certificate, client.Intermediates, offline: true);
        }
    }

    /// <summary>Added to a connection error when the server may have refused the client certificate: with TLS 1.3 the
    /// server checks it after the client's handshake has completed, so the client sees the connection close.</summary>
    public const string ClientCertificateRefusedHint =
        "The server may have refused the client certificate (expired, revoked, or issued by a CA the server does not trust): " +
        "check it with 'openssl verify -CAfile <the server's CA file> <tlsCertificateKeyFile>' and look at the server log.";

    /// <summary>Whether a client certificate is sent.</summary>
    public bool HasClientCertificate => _clientCertificate is not null;

    /// <summary>Options for a connection to <paramref name="targetHost"/>; <paramref name="validator"/> tells why a
    /// refused server certificate was refused.</summary>
    public SslClientAuthenticationOptions Create(string targetHost, out ServerCertificateValidator validator)
    {
        validator = new ServerCertificateValidator(_settings, _trustAnchors, targetHost);
        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // The validator builds its own chain with the configured roots and revocation mode and ignores the chain
            // .NET builds before calling it; that one gets nothing to search (no system store, no downloads), which
            // makes it about 0.3 ms cheaper per handshake. Its ExtraStore still carries the certificates the server sent.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            },
            RemoteCertificateValidationCallback = validator.Validate,
            ClientCertificateContext = _clientCertificate,
        };
    }

    /// <summary>Whether the settings verify both the certificate chain and the host name.</summary>
    public static bool VerifiesServerIdentity(MongoTlsSettings settings) =>
        !settings.Insecure && !settings.AllowInvalidCertificates && !settings.AllowInvalidHostnames;
}
