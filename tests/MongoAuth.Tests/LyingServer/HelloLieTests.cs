using MongoAuth.Tests.Support;
using MongoDB.Bson;
using static MongoAuth.Tests.LyingServer.LyingServerHarness;

namespace MongoAuth.Tests.LyingServer;

/// <summary>
/// A handshake reply with a field of the wrong type or a limit no server could mean: refused with a
/// <see cref="MongoConnectionException"/> naming the field, the expected and the received type; the connection closed.
/// </summary>
[Collection(LyingServerCollection.Name)]
public sealed class HelloLieTests
{
    private const string Integer = "must be a 32-bit integer (int32, int64 or a double with an integral value)";

    private static readonly Dictionary<string, (BsonDocument Fields, string Check)> Lies = new()
    {
        ["maxWireVersion as a string"] = (new("maxWireVersion", "21"), $"field 'maxWireVersion' {Integer}, but it is a string \"21\""),
        ["maxWireVersion as a fraction"] = (new("maxWireVersion", 21.5), $"field 'maxWireVersion' {Integer}, but it is a double 21.5"),
        ["maxWireVersion below 8"] = (new("maxWireVersion", 7), "reports maxWireVersion 7, but MongoAuth needs at least 8"),
        ["maxMessageSizeBytes 0"] = (new("maxMessageSizeBytes", 0), "field 'maxMessageSizeBytes' must be at least 26, but it is an int32 0 (a limit must be positive)"),
        ["maxMessageSizeBytes negative"] = (new("maxMessageSizeBytes", -1L), "field 'maxMessageSizeBytes' must be at least 26, but it is an int64 -1"),
        ["maxMessageSizeBytes below the smallest message"] = (new("maxMessageSizeBytes", 20), "no valid message or document is that small"),
        ["maxMessageSizeBytes as a string"] = (new("maxMessageSizeBytes", "48000000"), $"field 'maxMessageSizeBytes' {Integer}, but it is a string"),
        ["maxBsonObjectSize negative"] = (new("maxBsonObjectSize", -16777216), "field 'maxBsonObjectSize' must be at least 5"),
        ["maxBsonObjectSize as null"] = (new("maxBsonObjectSize", BsonNull.Value), $"field 'maxBsonObjectSize' {Integer}, but it is null"),
        ["maxWriteBatchSize 0"] = (new("maxWriteBatchSize", 0), "field 'maxWriteBatchSize' must be at least 1"),
        ["isWritablePrimary as a number"] = (new("isWritablePrimary", 1), "field 'isWritablePrimary' must be a boolean, but it is an int32 1"),
        ["helloOk as a string"] = (new("helloOk", "true"), "field 'helloOk' must be a boolean, but it is a string \"true\""),
        ["saslSupportedMechs as a string"] = (new("saslSupportedMechs", "SCRAM-SHA-256"), "field 'saslSupportedMechs' must be an array of strings, but it is a string"),
        ["saslSupportedMechs with a number"] = (new("saslSupportedMechs", new BsonArray { "SCRAM-SHA-256", 1 }), "field 'saslSupportedMechs[1]' must be a string, but it is an int32 1"),
        ["speculativeAuthenticate as a string"] = (new("speculativeAuthenticate", "yes"), "field 'speculativeAuthenticate' must be a document, but it is a string"),
    };

    public static TheoryData<string, Mode> Cases()
    {
        var data = new TheoryData<string, Mode>();
        foreach (var name in Lies.Keys)
        {
            data.Add(name, Mode.Sync);
            data.Add(name, Mode.Async);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_wrong_typed_or_absurd_hello_field_is_refused_and_the_connection_closed(string lie, Mode mode)
    {
        var (fields, check) = Lies[lie];
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r, fields));

        var outcome = await PingAsync(server, Settings(server), mode);

        var error = outcome.AssertRefused<MongoConnectionException>(check);
        Assert.Contains(server.Address.ToString(), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ping", server.CommandNames);
    }

    [Theory, BothModes]
    public async Task Numbers_mongod_and_other_servers_send_as_int64_or_double_are_accepted(Mode mode)
    {
        var fields = new BsonDocument
        {
            { "maxWireVersion", 21.0 }, { "maxMessageSizeBytes", 48_000_000L }, { "maxBsonObjectSize", 16_777_216.0 }, { "maxWriteBatchSize", 100_000L },
        };
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r, fields));

        var outcome = await PingAsync(server, Settings(server), mode);

        Assert.Null(outcome.Error);
        Assert.Contains("ping", server.CommandNames);
    }
}
