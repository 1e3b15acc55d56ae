using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MongoAuth.TestServer;
using MongoAuth.Tests.Tls;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

/// <summary>
/// Where the test server once differed from mongod (found by running the official Node.js driver against it): each
/// test pins mongod's behaviour at the wire level.
/// </summary>
[Collection(PkiCollection.Name)]
public sealed class MongodFidelityTests(PkiFixture fixture)
{
    private static Task<MongoTestServer> StartAsync() => MongoTestServer.StartAsync(new TestServerOptions(), default);

    [Fact]
    public async Task Hello_carries_a_topologyVersion_and_a_32_bit_connectionId()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument("hello", 1));
        var again = await client.CommandAsync(new BsonDocument("isMaster", 1));

        var version = reply["topologyVersion"].AsBsonDocument;
        Assert.Equal(BsonType.ObjectId, version["processId"].BsonType);
        Assert.Equal(BsonType.Int64, version["counter"].BsonType);
        Assert.Equal(0L, version["counter"].AsInt64);
        Assert.Equal(version, again["topologyVersion"]);
        Assert.Equal(BsonType.Int32, reply["connectionId"].BsonType);
    }

    [Fact]
    public async Task Each_server_has_its_own_processId()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        await using var a = await RawClient.ConnectAsync(first);
        await using var b = await RawClient.ConnectAsync(second);

        var one = (await a.CommandAsync(new BsonDocument("hello", 1)))["topologyVersion"]["processId"];
        var other = (await b.CommandAsync(new BsonDocument("hello", 1)))["topologyVersion"]["processId"];

        Assert.NotEqual(one, other);
    }

    [Fact]
    public async Task An_awaitable_hello_with_the_current_topologyVersion_waits_maxAwaitTimeMS()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var version = (await client.CommandAsync(new BsonDocument("hello", 1)))["topologyVersion"];

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reply = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "topologyVersion", version }, { "maxAwaitTimeMS", 300 } });

        // A lower bound: the server held the answer back (the point of the streaming protocol), not a speed claim.
        Assert.True(watch.ElapsedMilliseconds >= 250, $"answered after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(version, reply["topologyVersion"]);
    }

    [Fact]
    public async Task An_awaitable_hello_from_another_process_is_answered_at_once()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var stale = new BsonDocument { { "processId", ObjectId.GenerateNewId() }, { "counter", 0L } };

        // Ten minutes of maxAwaitTimeMS: if the server waited, RawClient's read limit would fail the test.
        var reply = await client.CommandAsync(new BsonDocument { { "hello", 1 }, { "topologyVersion", stale }, { "maxAwaitTimeMS", 600000 } });

        Assert.NotEqual(stale, reply["topologyVersion"]);
    }

    [Fact]
    public async Task An_exhaust_hello_streams_moreToCome_replies_each_answering_the_previous_one()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var version = (await client.CommandAsync(new BsonDocument("hello", 1)))["topologyVersion"];
        var command = new BsonDocument
        {
            { "hello", 1 }, { "topologyVersion", version }, { "maxAwaitTimeMS", 20 }, { "$db", "admin" },
        };

        await client.SendAsync(new OpMsgMessage(command, OpMsgFlags.ExhaustAllowed) { RequestId = 4242 }.Encode());
        var responseTo = 4242;
        for (var i = 0; i < 3; i++)
        {
            var message = await client.ReadMessageAsync() ?? throw new InvalidOperationException("The server closed the connection.");
            var reply = OpMsgMessage.Decode(message.Header, message.Bytes);
            Assert.Equal(responseTo, message.Header.ResponseTo);
            Assert.Equal(OpMsgFlags.MoreToCome, reply.Flags & OpMsgFlags.MoreToCome);
            Assert.Equal(1.0, reply.Body["ok"].ToDouble());
            responseTo = message.Header.RequestId;
        }

        Assert.True(server.Statistics.CommandsReceived("hello") >= 4);
        Assert.Equal(1, server.Statistics.ExhaustStreamsStarted);
    }

    [Fact]
    public async Task A_plain_hello_with_exhaustAllowed_gets_one_ordinary_reply()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync(new OpMsgMessage(new BsonDocument { { "hello", 1 }, { "$db", "admin" } }, OpMsgFlags.ExhaustAllowed)
        {
            RequestId = 7,
        }.Encode());
        var message = await client.ReadMessageAsync() ?? throw new InvalidOperationException("The server closed the connection.");
        var ping = await client.CommandAsync(new BsonDocument("ping", 1));

        Assert.Equal(OpMsgFlags.None, OpMsgMessage.Decode(message.Header, message.Bytes).Flags & OpMsgFlags.MoreToCome);
        Assert.Equal(1.0, ping["ok"].ToDouble());
    }

    [Fact]
    public async Task BuildInfo_names_the_enterprise_module()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument("buildInfo", 1));

        Assert.Equal(new BsonArray { "enterprise" }, reply["modules"]);
    }

    [Fact]
    public async Task ConnectionStatus_with_showPrivileges_lists_the_privileges_of_the_roles()
    {
        await using var server = await StartAsync();
        server.RegisterMechanism(new FakeMechanism("s3cret")); // grants readWrite on the user's database
        await using var client = await RawClient.ConnectAsync(server);
        var before = await client.CommandAsync(new BsonDocument { { "connectionStatus", 1 }, { "showPrivileges", true } });
        var start = await client.CommandAsync(Sasl("saslStart", "alice"), db: "app");
        await client.CommandAsync(Sasl("saslContinue", "s3cret", start["conversationId"]), db: "app");

        var plain = await client.CommandAsync(new BsonDocument("connectionStatus", 1));
        var detailed = await client.CommandAsync(new BsonDocument { { "connectionStatus", 1 }, { "showPrivileges", true } });

        Assert.Empty(before["authInfo"]["authenticatedUserPrivileges"].AsBsonArray);
        Assert.False(plain["authInfo"].AsBsonDocument.Contains("authenticatedUserPrivileges"));
        var privilege = Assert.Single(detailed["authInfo"]["authenticatedUserPrivileges"].AsBsonArray).AsBsonDocument;
        Assert.Equal(new BsonDocument { { "db", "app" }, { "collection", "" } }, privilege["resource"]);
        var actions = privilege["actions"].AsBsonArray.Select(a => a.AsString).ToList();
        Assert.Contains("find", actions);
        Assert.Contains("insert", actions);
        Assert.DoesNotContain("dropDatabase", actions);
        Assert.Equal(actions.Order(StringComparer.Ordinal), actions);
    }

    [Fact]
    public async Task An_unknown_command_is_CommandNotFound_even_before_login()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var unknown = await client.CommandAsync(new BsonDocument("frobnicate", 1));
        var known = await client.CommandAsync(new BsonDocument("find", "things"));

        Assert.Equal(59, unknown["code"].ToInt32());
        Assert.Equal("CommandNotFound", unknown["codeName"].AsString);
        Assert.Equal(13, known["code"].ToInt32());
    }

    [Fact]
    public async Task A_string_payload_is_base64_decoded_and_answered_as_a_string()
    {
        await using var server = await StartAsync();
        server.RegisterMechanism(new FakeMechanism("s3cret"));
        await using var client = await RawClient.ConnectAsync(server);

        var start = await client.CommandAsync(Sasl("saslStart", "alice", asString: true), db: "app");
        var done = await client.CommandAsync(Sasl("saslContinue", "s3cret", start["conversationId"], asString: true), db: "app");

        Assert.Equal(BsonType.String, start["payload"].BsonType);
        Assert.Equal("challenge", Encoding.UTF8.GetString(Convert.FromBase64String(start["payload"].AsString)));
        Assert.True(done["done"].AsBoolean);
        Assert.Equal(BsonType.String, done["payload"].BsonType);
        var status = await client.CommandAsync(new BsonDocument("connectionStatus", 1));
        Assert.Equal("alice", status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
    }

    [Fact]
    public async Task A_string_payload_that_is_not_base64_is_BadValue()
    {
        await using var server = await StartAsync();
        server.RegisterMechanism(new FakeMechanism("s3cret"));
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument
        {
            { "saslStart", 1 }, { "mechanism", FakeMechanism.MechanismName }, { "payload", "not base64!" },
        });

        Assert.Equal(2, reply["code"].ToInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_client_certificate_request_names_the_trusted_CAs(bool trusted)
    {
        var pki = fixture.Pki;
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions
        {
            TlsCertificate = pki.Server.Certificate,
            ClientCertificates = trusted ? ClientCertificateMode.Optional : ClientCertificateMode.None,
            ClientCertificateTrust = trusted ? [pki.Root.Certificate] : null,
        }, default);
        string[]? issuers = null;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.EndPoint);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);

        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            LocalCertificateSelectionCallback = (_, _, _, _, acceptable) =>
            {
                issuers = acceptable;
                return null!; // no certificate: the request is what this test looks at
            },
        });

        if (trusted)
        {
            Assert.NotNull(issuers);
            Assert.Contains(pki.Root.Certificate.SubjectName.Name, issuers);
        }
        else
        {
            Assert.True(issuers is null or { Length: 0 });
        }
    }

    private static BsonDocument Sasl(string command, string payload, BsonValue? conversationId = null, bool asString = false)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var document = new BsonDocument(command, 1);
        if (command == "saslStart")
        {
            document["mechanism"] = FakeMechanism.MechanismName;
        }
        else
        {
            document["conversationId"] = conversationId ?? BsonNull.Value;
        }

        document["payload"] = asString ? new BsonString(Convert.ToBase64String(bytes)) : new BsonBinaryData(bytes);
        return document;
    }
}
