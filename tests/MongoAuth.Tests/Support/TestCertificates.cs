using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.Tests.Support;

/// <summary>A throwaway CA and a server certificate made at test time (no key material is ever committed).</summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 ca, X509Certificate2 server, string caFile)
    {
        Ca = ca;
        Server = server;
        CaFile = caFile;
    }

    public X509Certificate2 Ca { get; }

    /// <summary>The server certificate with its private key, issued by <see cref="Ca"/>.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>A PEM file holding only <see cref="Ca"/> (for tlsCAFile).</summary>
    public string CaFile { get; }

    /// <summary>Creates a CA and a server certificate for <paramref name="dnsName"/> (and, if given, 127.0.0.1).</summary>
    public static TestCertificates Create(string dnsName, bool includeLoopbackIp = false)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=MongoAuth Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        if (includeLoopbackIp)
        {
            san.AddIpAddress(System.Net.IPAddress.Loopback);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddHours(1), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);

        var caFile = Path.Combine(Path.GetTempPath(), $"mongoauth-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        return new TestCertificates(ca, server, caFile);
    }

    public void Dispose()
    {
        File.Delete(CaFile);
        Ca.Dispose();
        Server.Dispose();
    }
}
