using System.Text;
using System.Text.RegularExpressions;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Scram;
using MongoDB.Bson;
using static MongoAuth.Tests.LyingServer.LyingServerHarness;

namespace MongoAuth.Tests.LyingServer;

/// <summary>
/// The test server's SCRAM half, made to lie through its test options or by editing its server-first message:
/// each lie is refused with a <see cref="MongoAuthenticationException"/> naming the failed check, before any costly
/// work where the lie is about cost, and the connection is closed.
/// </summary>
[Collection(LyingServerCollection.Name)]
public sealed partial class ScramLieTests
{
    private const string Password = "correct horse battery staple";

    private static readonly Dictionary<string, (ScramServerTestOptions Options, Action<BsonDocument>? Edit, string Check)> Lies = new()
    {
        ["2e9 iterations"] = (new() { AdvertisedIterationCount = 2_000_000_000 }, null,
            "the server asked for 2,000,000,000 PBKDF2 iterations, more than this client's limit of 1,000,000"),
        ["1,000,001 iterations"] = (new() { AdvertisedIterationCount = 1_000_001 }, null, "raise MongoClientSettings.MaxScramIterationCount"),
        ["1000 iterations"] = (new() { AdvertisedIterationCount = 1000 }, null, "the server asked for 1000 iterations, fewer than the minimum of 4096"),
        ["empty salt"] = (ScramServerTestOptions.None, r => EditPayload(r, p => SaltAttribute().Replace(p, ",s=,")), "the salt is empty"),
        ["salt not base64"] = (ScramServerTestOptions.None, r => EditPayload(r, p => SaltAttribute().Replace(p, ",s=@@@@,")), "The 's=' attribute is not valid base64"),
        ["nonce not extending the client's"] = (new() { UnprefixedServerNonce = true }, null, "the server's nonce does not extend the client's nonce"),
        ["wrong server signature"] = (new() { TamperServerSignature = true }, null, "the server's signature is wrong"),
        ["done after server-first"] = (ScramServerTestOptions.None, r => r["done"] = true, "the server ended the conversation before the client's last step"),
        ["payload as a string"] = (ScramServerTestOptions.None, r => r["payload"] = Encoding.UTF8.GetString(r["payload"].AsBsonBinaryData.Bytes),
            "the server's payload is a BSON String, not binary data"),
    };

    public static TheoryData<string, string, Mode> Cases()
    {
        var data = new TheoryData<string, string, Mode>();
        foreach (var name in Lies.Keys)
        {
            foreach (var mechanism in new[] { "SCRAM-SHA-1", "SCRAM-SHA-256" })
            {
                data.Add(name, mechanism, Mode.Sync);
                data.Add(name, mechanism, Mode.Async);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_lying_scram_server_is_refused_and_the_connection_closed(string lie, string mechanism, Mode mode)
    {
        var (options, edit, check) = Lies[lie];
        await using var server = new ScriptedServer(Lying(new SaslServerBridge(ServerHalf(mechanism, options)), edit));

        var outcome = await PingAsync(server, Settings(server, TestSettings.Credential(mechanism, "alice", Password, "admin")), mode);

        var error = outcome.AssertRefused<MongoAuthenticationException>(check);
        Assert.Equal(mechanism, error.Mechanism);
        Assert.Contains("alice", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ping", server.CommandNames);
    }

    [Theory, BothModes]
    public async Task The_limit_is_the_setting(Mode mode)
    {
        // An honest server at mongod's default of 15,000 iterations, and a client that allows only 8192.
        await using var server = new ScriptedServer(new SaslServerBridge(ServerHalf("SCRAM-SHA-256", ScramServerTestOptions.None)).Handle);
        var settings = Settings(server, TestSettings.Credential("SCRAM-SHA-256", "alice", Password, "admin")) with { MaxScramIterationCount = 8192 };

        var outcome = await PingAsync(server, settings, mode);

        outcome.AssertRefused<MongoAuthenticationException>("the server asked for 15,000 PBKDF2 iterations, more than this client's limit of 8,192");
    }

    [Theory, BothModes]
    public async Task An_honest_server_at_the_default_count_still_authenticates(Mode mode)
    {
        await using var server = new ScriptedServer(new SaslServerBridge(ServerHalf("SCRAM-SHA-256", ScramServerTestOptions.None)).Handle);

        var outcome = await PingAsync(server, Settings(server, TestSettings.Credential("SCRAM-SHA-256", "alice", Password, "admin")), mode);

        Assert.Null(outcome.Error);
        Assert.Contains("ping", server.CommandNames);
    }

    private static ScramServerMechanism ServerHalf(string mechanism, ScramServerTestOptions options) =>
        new(mechanism, (db, user, m) => db == "admin" && user == "alice"
            ? new ScramAccount(new AuthenticatedUser("alice", "admin", [new GrantedRole("readWrite", "app")]), ScramStoredCredential.Create(m, user, Password))
            : null)
        {
            TestOptions = options,
        };

    /// <summary>The bridge's answers, with <paramref name="edit"/> applied to the server-first message wherever it goes.</summary>
    private static Func<ServerRequest, ServerAction> Lying(SaslServerBridge bridge, Action<BsonDocument>? edit) => request =>
    {
        var action = bridge.Handle(request);
        if (edit is not null && action is ReplyAction reply)
        {
            if (request.Name is "isMaster" or "hello" && reply.Document.TryGetValue("speculativeAuthenticate", out var speculative))
            {
                edit(speculative.AsBsonDocument);
            }
            else if (request.Name == "saslStart")
            {
                edit(reply.Document);
            }
        }
        return action;
    };

    private static void EditPayload(BsonDocument reply, Func<string, string> edit) =>
        reply["payload"] = new BsonBinaryData(Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(reply["payload"].AsBsonBinaryData.Bytes))));

    [GeneratedRegex(",s=[^,]*,")]
    private static partial Regex SaltAttribute();
}
