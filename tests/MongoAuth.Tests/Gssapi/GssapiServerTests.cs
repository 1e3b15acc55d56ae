using System.Collections.Immutable;
using System.Net;
using MongoAuth.Authentication;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Gssapi;
using static MongoAuth.Tests.Gssapi.KerberosBackend;

namespace MongoAuth.Tests.Gssapi;

/// <summary>The test server's side of GSSAPI refuses what mongod refuses.</summary>
[Collection(KerberosCollection.Name)]
public sealed class GssapiServerTests
{
    private static async Task<ServerCommandException> RefusedAsync(MongoAuth.Authentication.ISaslMechanism client, IServerSaslMechanism server)
    {
        var error = await Assert.ThrowsAsync<ServerCommandException>(() => SaslDriver.RunAsync(client, server));
        Assert.Equal(18, error.Code);
        return error;
    }

    [Fact]
    public async Task Principal_without_a_configured_user_is_refused()
    {
        var onlyBob = new GssapiServerMechanism(new Dictionary<string, IReadOnlyList<GrantedRole>> { [KeytabUser] = [] });
        await RefusedAsync(Client(User, UserPassword), onlyBob);
    }

    [Fact]
    public async Task Authorization_identity_other_than_the_principal_is_refused()
    {
        // The ticket is alice's, but the client claims to be bob in the security-layer answer.
        Kinit(User, UserPassword);
        await RefusedAsync(Client(KeytabUser, null), Server());
    }

    [Fact]
    public async Task Tampered_security_layer_answer_is_refused()
    {
        var client = Client(User, UserPassword);
        var server = Server().Start(new ServerConversationContext(null, "$external", false));
        ISaslStep? step = client.CreateFirstStep(new SaslConversationContext(new DnsEndPoint("localhost", 27017), false, false));
        var payload = ReadOnlyMemory<byte>.Empty;
        while (true)
        {
            var sent = await step!.ExecuteAsync(payload, CancellationToken.None);
            if (sent.Next is null)
            {
                var tampered = sent.Payload.ToArray();
                tampered[^1] ^= 0xFF;
                var error = await Assert.ThrowsAsync<ServerCommandException>(() => server.StepAsync(tampered, CancellationToken.None).AsTask());
                Assert.Equal(18, error.Code);
                return;
            }

            payload = (await server.StepAsync(sent.Payload, CancellationToken.None)).Payload;
            step = sent.Next;
        }
    }

    [Fact]
    public async Task Garbage_first_token_is_refused()
    {
        _ = Get("KRB5_KTNAME");
        var server = Server().Start(new ServerConversationContext(null, "$external", false));
        var error = await Assert.ThrowsAsync<ServerCommandException>(() => server.StepAsync(new byte[] { 1, 2, 3, 4 }, CancellationToken.None).AsTask());
        Assert.Equal(18, error.Code);
    }

    [Fact]
    public void Database_other_than_external_is_refused()
    {
        var error = Assert.Throws<ServerCommandException>(() =>
            new GssapiServerMechanism(ImmutableDictionary<string, IReadOnlyList<GrantedRole>>.Empty)
                .Start(new ServerConversationContext(null, "admin", false)));
        Assert.Equal("BadValue", error.CodeName);
    }
}
