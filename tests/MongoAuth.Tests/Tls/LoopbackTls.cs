using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Connections.Tls;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.Tests.Tls;

/// <summary>What the plain <see cref="SslStream"/> server saw of one handshake.</summary>
internal sealed record ServerSide(bool Authenticated, string? ClientSubject, string? RefusalReason, string? ServerName);

/// <summary>Client result: whether the handshake completed, the validator's failure and the server's view.</summary>
internal sealed record Handshake(bool Succeeded, ServerCertificateFailure? Failure, Exception? ClientError, ServerSide Server);

/// <summary>
/// One TLS handshake over loopback between a plain <see cref="SslStream"/> server (no MongoDB) and a client
/// <see cref="SslStream"/> that uses <see cref="ServerCertificateValidator"/> and <see cref="ClientCertificateLoader"/>.
/// The server trusts the PKI root only and checks client certificates against the intermediate's CRL file (offline).
/// </summary>
internal static class LoopbackTls
{
    private static readonly SslProtocols Modern = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static async Task<Handshake> RunAsync(
        TestPki pki, PkiIdentity serverIdentity, MongoTlsSettings clientSettings, string targetHost,
        IPAddress? bindAddress = null, bool requireClientCertificate = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var crl = CertificateRevocationList.Load(File.ReadAllBytes(pki.IntermediateCrlFile), pki.Intermediate.Certificate);
        using var listener = new TcpListener(bindAddress ?? IPAddress.Loopback, 0);
        listener.Start();
        var serverTask = ServeAsync(listener, pki, serverIdentity, crl, requireClientCertificate, timeout.Token);

        var validator = new ServerCertificateValidator(clientSettings, targetHost);
        var clientCertificate = ClientCertificateLoader.Resolve(clientSettings);
        Exception? clientError = null;
        using (var client = new TcpClient(listener.LocalEndpoint.AddressFamily))
        {
            await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, timeout.Token);
            using var ssl = new SslStream(client.GetStream(), false, validator.Validate);
            try
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    EnabledSslProtocols = Modern,
                    ClientCertificateContext = clientCertificate is null
                        ? null
                        : SslStreamCertificateContext.Create(clientCertificate.Certificate, clientCertificate.Intermediates, offline: true),
                }, timeout.Token);
                await ssl.WriteAsync(new byte[] { 1 }, timeout.Token);
                var reply = new byte[1];
                await ssl.ReadExactlyAsync(reply, timeout.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                clientError = e;
            }
        }

        var server = await serverTask;
        return new Handshake(clientError is null && server.Authenticated, validator.Failure, clientError, server);
    }

    private static async Task<ServerSide> ServeAsync(
        TcpListener listener, TestPki pki, PkiIdentity identity, CertificateRevocationList crl, bool requireClientCertificate, CancellationToken cancellationToken)
    {
        using var accepted = await listener.AcceptTcpClientAsync(cancellationToken);
        string? refusal = null;
        using var ssl = new SslStream(accepted.GetStream(), false, (_, certificate, chain, errors) =>
        {
            refusal = CheckClient(pki, crl, certificate as X509Certificate2, chain, requireClientCertificate);
            return refusal is null;
        });
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(identity.Certificate, [.. identity.Intermediates], offline: true),
                ClientCertificateRequired = requireClientCertificate,
                // Every test needs a full handshake: a resumed session carries no client certificate chain.
                AllowTlsResume = false,
                EnabledSslProtocols = Modern,
            }, cancellationToken);
            var request = new byte[1];
            await ssl.ReadExactlyAsync(request, cancellationToken);
            await ssl.WriteAsync(request, cancellationToken);
            // TLS 1.2/1.3 client authentication has the client sign the handshake with its private key, so a client
            // certificate the server saw proves the key was usable.
            var subject = ssl.RemoteCertificate is X509Certificate2 seen ? Rfc2253Name.Subject(seen) : null;
            return new ServerSide(true, subject, null, ssl.TargetHostName);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return new ServerSide(false, null, refusal ?? e.Message, null);
        }
    }

    /// <summary>The server's client-certificate policy: PKI root only, intermediates from the handshake, CRL file.</summary>
    private static string? CheckClient(TestPki pki, CertificateRevocationList crl, X509Certificate2? certificate, X509Chain? presented, bool required)
    {
        if (certificate is null)
        {
            return required ? "no client certificate" : null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(pki.Root.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        if (!chain.Build(certificate))
        {
            return "client chain: " + string.Join("; ", chain.ChainStatus.Select(s => s.Status));
        }

        return crl.IsRevoked(certificate) ? "client certificate revoked" : null;
    }
}
