using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.TestServer.Tls;

/// <summary>Decides whether a TLS client's certificate (or its absence) is acceptable under the server's options.</summary>
internal static class ClientCertificateValidator
{
    public static bool IsAcceptable(ClientCertificateMode mode, X509Certificate2Collection? trust, X509Certificate? peer,
        SslPolicyErrors errors)
    {
        if (peer is null)
        {
            return mode != ClientCertificateMode.Required;
        }

        if (trust is null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(peer.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
