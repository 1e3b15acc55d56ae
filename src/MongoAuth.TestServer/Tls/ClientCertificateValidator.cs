using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.TestServer.Tls;

/// <summary>Decides whether a TLS client's certificate (or its absence) is acceptable under the server's options.</summary>
internal static class ClientCertificateValidator
{
    /// <summary>
    /// With <paramref name="trust"/>, the certificate must chain to one of those roots (the intermediates the client
    /// sent, found in <paramref name="presented"/>'s extra store, may complete the chain); without it, the system's
    /// verdict <paramref name="errors"/> decides.
    /// </summary>
    /// <remarks>The chain's validity periods are always checked, so an expired certificate is refused. A certificate
    /// of the built chain that one of <paramref name="revocationLists"/> lists is refused too.</remarks>
    public static bool IsAcceptable(ClientCertificateMode mode, X509Certificate2Collection? trust,
        IReadOnlyList<CertificateRevocationList>? revocationLists, X509Certificate? peer, X509Chain? presented, SslPolicyErrors errors)
    {
        if (peer is null)
        {
            return mode != ClientCertificateMode.Required;
        }

        if (trust is null)
        {
            return errors == SslPolicyErrors.None && !IsRevoked(presented, revocationLists);
        }

        using var certificate = X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        return chain.Build(certificate) && !IsRevoked(chain, revocationLists);
    }

    private static bool IsRevoked(X509Chain? chain, IReadOnlyList<CertificateRevocationList>? revocationLists) =>
        chain is not null && revocationLists is { Count: > 0 } &&
        chain.ChainElements.Any(e => revocationLists.Any(crl => crl.IsRevoked(e.Certificate)));
}
