using System.Security.Cryptography.X509Certificates;

namespace MongoAuth;

/// <summary>
/// TLS configuration. Connection-string options map one to one onto these properties; certificates given as
/// objects can be set only from code. <see cref="ToString"/> never shows the key-file password.
/// </summary>
public sealed record MongoTlsSettings
{
    /// <summary><c>tlsCAFile</c>: a PEM bundle used as the only trust roots (never a fallback to the system store).</summary>
    public string? CAFile { get; init; }

    /// <summary><c>tlsCertificateKeyFile</c>: a PEM file holding the client certificate and its private key.</summary>
    public string? CertificateKeyFile { get; init; }

    /// <summary><c>tlsCertificateKeyFilePassword</c>: the password of an encrypted key in <see cref="CertificateKeyFile"/>.</summary>
    public string? CertificateKeyFilePassword { get; init; }

    /// <summary><c>tlsAllowInvalidCertificates</c>: accept a server certificate that does not chain to a trusted root.</summary>
    public bool AllowInvalidCertificates { get; init; }

    /// <summary><c>tlsAllowInvalidHostnames</c>: accept a server certificate issued for another host name.</summary>
    public bool AllowInvalidHostnames { get; init; }

    /// <summary><c>tlsInsecure</c>: turns off every server-certificate check (chain, host name, revocation, OCSP).</summary>
    public bool Insecure { get; init; }

    /// <summary><c>tlsDisableOCSPEndpointCheck</c>: do not contact OCSP responders.</summary>
    public bool DisableOcspEndpointCheck { get; init; }

    /// <summary><c>tlsDisableCertificateRevocationCheck</c>: do not check revocation at all.</summary>
    public bool DisableCertificateRevocationCheck { get; init; }

    /// <summary>Client certificates given from code (each must have its private key). Code only.</summary>
    public X509Certificate2Collection? ClientCertificates { get; init; }

    /// <summary>Extra trust roots given from code, used like <see cref="CAFile"/>. Code only.</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>Prints the settings with the key-file password redacted.</summary>
    public override string ToString() =>
        $"{{ CAFile = {CAFile}, CertificateKeyFile = {CertificateKeyFile}, CertificateKeyFilePassword = {(CertificateKeyFilePassword is null ? "null" : "<redacted>")}, " +
        $"AllowInvalidCertificates = {AllowInvalidCertificates}, AllowInvalidHostnames = {AllowInvalidHostnames}, Insecure = {Insecure}, " +
        $"DisableOcspEndpointCheck = {DisableOcspEndpointCheck}, DisableCertificateRevocationCheck = {DisableCertificateRevocationCheck}, " +
        $"ClientCertificates = {ClientCertificates?.Count ?? 0}, TrustedRoots = {TrustedRoots?.Count ?? 0} }}";
}
