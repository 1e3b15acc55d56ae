using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Tls;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

public sealed class TlsTests
{
    [Fact]
    public async Task A_TLS_server_serves_hello_over_TLS()
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, default);
        await using var client = await RawClient.ConnectAsync(server, tls: true);

        var reply = await client.CommandAsync(new BsonDocument("hello", 1));

        Assert.True(reply["isWritablePrimary"].AsBoolean);
    }

    [Fact]
    public async Task The_mechanism_learns_that_the_connection_is_TLS()
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, default);
        var mechanism = new FakeMechanism("x");
        server.RegisterMechanism(mechanism);
        await using var client = await RawClient.ConnectAsync(server, tls: true);

        await client.CommandAsync(new BsonDocument
        {
            { "saslStart", 1 }, { "mechanism", FakeMechanism.MechanismName }, { "payload", new BsonBinaryData("u"u8.ToArray()) },
        });

        Assert.True(Assert.Single(mechanism.Contexts).IsTls);
    }

    [Fact]
    public async Task A_plain_client_on_a_TLS_server_is_dropped_and_the_listener_goes_on()
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, default);
        await using (var plain = await RawClient.ConnectAsync(server))
        {
            await plain.SendAsync(new MongoAuth.Wire.OpMsgMessage(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }).Encode());
            Assert.True(await plain.IsClosedByServerAsync());
        }

        await using var client = await RawClient.ConnectAsync(server, tls: true);
        Assert.Equal(1.0, (await client.CommandAsync(new BsonDocument("ping", 1)))["ok"].ToDouble());
    }

    [Fact]
    public async Task A_required_client_certificate_refuses_a_client_without_one()
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions
        {
            TlsCertificate = certificate,
            ClientCertificates = ClientCertificateMode.Required,
            ClientCertificateTrust = [certificate],
        }, default);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.EndPoint);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);

        // TLS 1.3 reports the refusal on the first read rather than in the handshake.
        var refused = await Record.ExceptionAsync(async () =>
        {
            await ssl.AuthenticateAsClientAsync("localhost");
            await ssl.WriteAsync(new MongoAuth.Wire.OpMsgMessage(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }).Encode());
            var buffer = new byte[16];
            if (await ssl.ReadAsync(buffer) == 0)
            {
                throw new IOException("closed");
            }
        });

        Assert.True(refused is AuthenticationException or IOException, refused?.GetType().Name ?? "no failure");
    }
}
