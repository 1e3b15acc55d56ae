using System.Net.Security;
using System.Net.Sockets;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.Tls;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

/// <summary>The hook the X.509 mechanism builds on: the verified client certificate reaches the authenticate handler.</summary>
[Collection(PkiCollection.Name)]
public sealed class ClientCertificateTests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    private async Task<(MongoTestServer Server, SubjectHandler Handler)> StartAsync(ClientCertificateMode mode)
    {
        var server = await MongoTestServer.StartAsync(new TestServerOptions
        {
            TlsCertificate = Pki.Server.Certificate,
            ClientCertificates = mode,
            ClientCertificateTrust = [Pki.Root.Certificate],
        }, default);
        var handler = new SubjectHandler();
        server.RegisterAuthenticateHandler(handler);
        return (server, handler);
    }

    private static async Task<BsonDocument> AuthenticateOverTlsAsync(MongoTestServer server, PkiIdentity? client)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.EndPoint);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificateContext = client is null
                ? null
                : SslStreamCertificateContext.Create(client.Certificate, [.. client.Intermediates], offline: true),
        });
        var command = new BsonDocument { { "authenticate", 1 }, { "mechanism", "MONGODB-X509" }, { "$db", "$external" } };
        await tls.WriteAsync(new OpMsgMessage(command) { RequestId = 1 }.Encode());
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reply = await WireMessageReader.ReadAsync(tls, WireLimits.DefaultMaxMessageSize, true, limit.Token)
            ?? throw new IOException("The server closed the connection.");
        return OpMsgMessage.Decode(reply.Header, reply.Bytes).Body;
    }

    [Fact]
    public async Task A_client_certificate_chaining_to_the_trusted_root_reaches_the_authenticate_handler()
    {
        var (server, handler) = await StartAsync(ClientCertificateMode.Required);
        await using var _ = server;

        var reply = await AuthenticateOverTlsAsync(server, Pki.ClientEc);

        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(Pki.ClientEc.Certificate.SubjectName.Name, reply["user"].AsString);
        Assert.True(handler.SawTls);
    }

    [Fact]
    public async Task A_client_certificate_from_another_root_is_refused()
    {
        var (server, _) = await StartAsync(ClientCertificateMode.Required);
        await using var _s = server;

        var refused = await Record.ExceptionAsync(() => AuthenticateOverTlsAsync(server, Pki.OtherCaClient));

        Assert.True(refused is IOException or System.Security.Authentication.AuthenticationException,
            refused?.GetType().Name ?? "the server accepted an untrusted certificate");
    }

    [Fact]
    public async Task Without_a_certificate_an_optional_mode_connection_has_none_to_authenticate_with()
    {
        var (server, _) = await StartAsync(ClientCertificateMode.Optional);
        await using var _s = server;

        var reply = await AuthenticateOverTlsAsync(server, client: null);

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
