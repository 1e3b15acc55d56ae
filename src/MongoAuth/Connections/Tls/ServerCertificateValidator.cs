using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.Connections.Tls;

/// <summary>
/// Validates the server certificate of one TLS handshake as the settings say. Pass <see cref="Validate"/> as the
/// <see cref="RemoteCertificateValidationCallback"/>; after a refused handshake <see cref="Failure"/> says why.
/// Make one instance per handshake (it records the outcome of the last call).
/// </summary>
/// <remarks>
/// Checks, in order: a certificate was sent; it chains to the roots (only the <c>tlsCAFile</c>/TrustedRoots roots
/// when given, else the system store) with valid signatures, usages and validity periods; no certificate in the chain
/// is revoked; it is issued for the host name (DNS or IP subject alternative names, or the common name when it has
/// none). <c>tlsAllowInvalidCertificates</c> turns off the chain, validity and revocation checks;
/// <c>tlsAllowInvalidHostnames</c> turns off the host-name check; <c>tlsInsecure</c> turns off all of them.
/// Revocation: <c>tlsDisableCertificateRevocationCheck</c> skips it, <c>tlsDisableOCSPEndpointCheck</c> uses only
/// CRLs already cached (no network), otherwise CRL/OCSP endpoints are contacted online. Revocation soft-fails: only a
/// certificate known to be revoked is refused, an unreachable responder is not an error.
/// </remarks>
internal sealed class ServerCertificateValidator
{
    private static readonly TimeSpan OnlineRevocationTimeout = TimeSpan.FromSeconds(5);

    private const X509ChainStatusFlags SoftFailRevocation =
        X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    private readonly X509Certificate2Collection? _trustAnchors;
    private readonly string _host;

    /// <summary>A validator for a connection to <paramref name="host"/>, with roots from the settings.</summary>
    public ServerCertificateValidator(MongoTlsSettings settings, string host)
        : this(settings, TrustAnchors.Resolve(settings), host)
    {
    }

    /// <summary>A validator with roots already loaded (<see langword="null"/>: the system store).</summary>
    public ServerCertificateValidator(MongoTlsSettings settings, X509Certificate2Collection? trustAnchors, string host)
    {
        _trustAnchors = trustAnchors;
        _host = host.TrimStart('[').TrimEnd(']');
        ChecksChain = !(settings.Insecure || settings.AllowInvalidCertificates);
        ChecksHostName = !(settings.Insecure || settings.AllowInvalidHostnames);
        RevocationMode = !ChecksChain || settings.DisableCertificateRevocationCheck ? X509RevocationMode.NoCheck
            : settings.DisableOcspEndpointCheck ? X509RevocationMode.Offline
            : X509RevocationMode.Online;
    }

    /// <summary>Whether the chain (trust, signatures, validity, revocation) is checked.</summary>
    public bool ChecksChain { get; }

    /// <summary>Whether the host name is checked against the certificate.</summary>
    public bool ChecksHostName { get; }

    /// <summary>How revocation is checked when the chain is.</summary>
    public X509RevocationMode RevocationMode { get; }

    /// <summary>Why the last <see cref="Validate"/> refused the certificate; <see langword="null"/> when it accepted it.</summary>
    public ServerCertificateFailure? Failure { get; private set; }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/>: builds its own chain and ignores the platform's verdict.</summary>
    public bool Validate(object? sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors sslPolicyErrors)
    {
        var presented = new X509Certificate2Collection();
        if (chain is not null)
        {
            presented.AddRange(chain.ChainPolicy.ExtraStore);
            presented.AddRange(chain.ChainElements.Skip(1).Select(e => e.Certificate).ToArray());
        }

        Failure = certificate switch
        {
            null => Fail(ServerCertificateCheck.Presence, "the server sent no certificate. Configure the server with a TLS certificate."),
            X509Certificate2 leaf => Check(leaf, presented),
            _ => CheckCopy(certificate, presented),
        };
        return Failure is null;
    }

    /// <summary>Checks <paramref name="certificate"/> with the intermediates the server sent.</summary>
    public ServerCertificateFailure? Check(X509Certificate2 certificate, X509Certificate2Collection intermediates) =>
        (ChecksChain ? CheckChain(certificate, intermediates) : null) ?? (ChecksHostName ? CheckHostName(certificate) : null);

    private ServerCertificateFailure? CheckCopy(X509Certificate certificate, X509Certificate2Collection presented)
    {
        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return Check(copy, presented);
    }

    private ServerCertificateFailure? CheckChain(X509Certificate2 certificate, X509Certificate2Collection intermediates)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = RevocationMode;
        policy.UrlRetrievalTimeout = OnlineRevocationTimeout;
        policy.DisableCertificateDownloads = RevocationMode != X509RevocationMode.Online;
        policy.ExtraStore.AddRange(intermediates);
        if (_trustAnchors is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(_trustAnchors);
        }

        chain.Build(certificate);
        foreach (var element in chain.ChainElements)
        {
            var flags = element.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) & ~SoftFailRevocation;
            if (flags != X509ChainStatusFlags.NoError)
            {
                return Describe(element.Certificate, flags, element.ChainElementStatus);
            }
        }

        var chainFlags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) & ~SoftFailRevocation;
        return chainFlags == X509ChainStatusFlags.NoError ? null : Describe(certificate, chainFlags, chain.ChainStatus);
    }

    private ServerCertificateFailure Describe(X509Certificate2 certificate, X509ChainStatusFlags flags, X509ChainStatus[] statuses)
    {
        var subject = $"'{Rfc2253Name.Subject(certificate)}'";
        if (flags.HasFlag(X509ChainStatusFlags.Revoked))
        {
            return Fail(ServerCertificateCheck.Revocation,
                $"revocation check failed: the certificate {subject} is revoked by its issuer. Replace the server certificate; " +
                "tlsDisableCertificateRevocationCheck=true turns the revocation check off.");
        }

        if (flags == X509ChainStatusFlags.NotTimeValid)
        {
            return Fail(ServerCertificateCheck.Expiry,
                $"validity check failed: the certificate {subject} is valid only from {certificate.NotBefore.ToUniversalTime():u} to " +
                $"{certificate.NotAfter.ToUniversalTime():u}. Renew the certificate or correct the clock; tlsAllowInvalidCertificates=true turns this check off (unsafe).");
        }

        var roots = _trustAnchors is null ? "the system trust store" : $"the {_trustAnchors.Count} root(s) of tlsCAFile/TrustedRoots (the system store is not used)";
        var reasons = string.Join("; ", statuses.Where(s => (s.Status & flags) != 0).Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
        return Fail(ServerCertificateCheck.Chain,
            $"chain check failed for the certificate {subject} against {roots} ({reasons}). Set tlsCAFile to a PEM file holding the CA " +
            "that issued the server certificate; tlsAllowInvalidCertificates=true turns this check off (unsafe: anyone can impersonate the server).");
    }

    private ServerCertificateFailure? CheckHostName(X509Certificate2 certificate)
    {
        if (certificate.MatchesHostname(_host, allowWildcards: true, allowCommonName: true))
        {
            return null;
        }

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(ip => ip.ToString())))
            .ToList();
        var issuedFor = names.Count > 0 ? string.Join(", ", names) : $"subject '{Rfc2253Name.Subject(certificate)}' (no subject alternative names)";
        return Fail(ServerCertificateCheck.HostName,
            $"host-name check failed: the certificate is issued for {issuedFor}, not '{_host}'. Connect with one of those names; " +
            "tlsAllowInvalidHostnames=true turns this check off (unsafe).");
    }

    private ServerCertificateFailure Fail(ServerCertificateCheck check, string reason) =>
        new(check, $"TLS: the server certificate of '{_host}' was refused: {reason}");
}
