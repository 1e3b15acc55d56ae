using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Tls;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

/// <summary>The hook the X.509 issue builds on: the verified client certificate reaches the authenticate handler.</summary>
public sealed class ClientCertificateTests : IDisposable
{
    private readonly X509Certificate2 _serverCertificate = SelfSignedCertificate.CreateForLoopback();

    public void Dispose() => _serverCertificate.Dispose();

    private async Task<(MongoTestServer Server, SubjectHandler Handler)> StartAsync(ClientCertificateMode mode, X509Certificate2 ca)
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions
        {
            TlsCertificate = _serverCertificate,
            ClientCertificates = mode,
            ClientCertificateTrust = [ca],
        }, default);
        var handler = new SubjectHandler();
        server.RegisterAuthenticateHandler(handler);
        return (server, handler);
    }
    private static X509Certificate2 CreateCertificateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test Root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 IssueClientCertificate(X509Certificate2 issuer, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1),
            RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static async Task<BsonDocument> AuthenticateOverTlsAsync(MongoTestServer server, X509Certificate2? clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.EndPoint);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        });
        var command = new BsonDocument { { "authenticate", 1 }, { "mechanism", "MONGODB-X509" }, { "$db", "$external" } };
        await tls.WriteAsync(new OpMsgMessage(command) { RequestId = 1 }.Encode());
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reply = await WireMessageReader.ReadAsync(tls, WireLimits.DefaultMaxMessageSize, true, limit.Token)
            ?? throw new IOException("The server closed the connection.");
        return OpMsgMessage.Decode(reply.Header, reply.Bytes).Body;
    }

    [Fact]
    public async Task A_trusted_client_certificate_reaches_the_authenticate_handler()
    {
        using var ca = CreateCertificateAuthority();
        using var client = IssueClientCertificate(ca, "CN=client,OU=tests,O=MongoAuth");
        var (server, handler) = await StartAsync(ClientCertificateMode.Required, ca);
        await using var _ = server;

        var reply = await AuthenticateOverTlsAsync(server, client);

        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(client.SubjectName.Name, reply["user"].AsString);
        Assert.True(handler.SawTls);
    }

    [Fact]
    public async Task A_client_certificate_from_another_authority_is_refused()
    {
        using var ca = CreateCertificateAuthority();
        using var stranger = CreateCertificateAuthority();
        using var client = IssueClientCertificate(stranger, "CN=intruder");
        var (server, _) = await StartAsync(ClientCertificateMode.Required, ca);
        await using var _s = server;

        var refused = await Record.ExceptionAsync(() => AuthenticateOverTlsAsync(server, client));

        Assert.True(refused is IOException or System.Security.Authentication.AuthenticationException,
            refused?.GetType().Name ?? "the server accepted an untrusted certificate");
    }

    [Fact]
    public async Task Without_a_certificate_an_optional_mode_connection_has_none_to_authenticate_with()
    {
        using var ca = CreateCertificateAuthority();
        var (server, _) = await StartAsync(ClientCertificateMode.Optional, ca);
        await using var _s = server;

        var reply = await AuthenticateOverTlsAsync(server, clientCertificate: null);

        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(18, reply["code"].ToInt32());
    }

    /// <summary>Authenticates the certificate's subject, as MONGODB-X509 does; no certificate fails.</summary>
    private sealed class SubjectHandler : IServerAuthenticateHandler
    {
        public string Name => "MONGODB-X509";

        public bool SawTls { get; private set; }

        public AuthenticatedUser Authenticate(ServerAuthenticateContext context)
        {
            SawTls = context.IsTls;
            var certificate = context.ClientCertificate ?? throw ServerCommandException.AuthenticationFailed();
            return new AuthenticatedUser(certificate.SubjectName.Name, "$external", []);
        }
    }
}
