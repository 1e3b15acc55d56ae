using MongoAuth.Connections;
using MongoDB.Bson;

namespace MongoAuth.Tests.Connections;

public sealed class HelloResultTests
{
    private static readonly MongoServerAddress Server = new("db.example", 27017);

    [Fact]
    public void Limits_mechanisms_and_speculative_reply_are_recorded()
    {
        var reply = new BsonDocument
        {
            { "ok", 1 }, { "isWritablePrimary", true }, { "helloOk", true }, { "maxWireVersion", 25 }, { "maxMessageSizeBytes", 1000 },
            { "maxBsonObjectSize", 500 }, { "saslSupportedMechs", new BsonArray { "SCRAM-SHA-1", "SCRAM-SHA-256" } },
            { "speculativeAuthenticate", new BsonDocument("done", false) },
        };

        var hello = HelloResult.Parse(reply, Server);

        Assert.Equal(25, hello.MaxWireVersion);
        Assert.Equal(1000, hello.MaxMessageSizeBytes);
        Assert.Equal(500, hello.MaxBsonObjectSize);
        Assert.True(hello.IsWritablePrimary);
        Assert.True(hello.HelloOk);
        Assert.Equal(["SCRAM-SHA-1", "SCRAM-SHA-256"], hello.SaslSupportedMechs!);
        Assert.NotNull(hello.SpeculativeAuthenticate);
    }

    [Fact]
    public void Missing_limits_take_the_defaults_and_mongos_counts_as_writable()
    {
        var hello = HelloResult.Parse(new BsonDocument { { "ok", 1 }, { "maxWireVersion", 8 }, { "msg", "isdbgrid" } }, Server);

        Assert.Equal(HelloResult.DefaultMaxMessageSizeBytes, hello.MaxMessageSizeBytes);
        Assert.Equal(HelloResult.DefaultMaxBsonObjectSize, hello.MaxBsonObjectSize);
        Assert.True(hello.IsWritablePrimary);
        Assert.Null(hello.SaslSupportedMechs);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    public void Servers_below_wire_version_8_are_refused(int maxWireVersion)
    {
        var error = Assert.Throws<MongoConnectionException>(() => HelloResult.Parse(new BsonDocument { { "ok", 1 }, { "maxWireVersion", maxWireVersion } }, Server));

        Assert.Contains("db.example:27017", error.Message);
        Assert.Contains($"maxWireVersion {maxWireVersion}", error.Message);
    }

    [Theory]
    [InlineData("maxWireVersion", "\"21\"", "field 'maxWireVersion' must be a 32-bit integer", "but it is a string \"21\"")]
    [InlineData("maxWireVersion", "21.5", "field 'maxWireVersion' must be a 32-bit integer", "but it is a double 21.5")]
    [InlineData("maxWireVersion", "NumberLong(\"4294967317\")", "field 'maxWireVersion' must be a 32-bit integer", "does not fit in 32 bits")]
    [InlineData("maxMessageSizeBytes", "\"48000000\"", "field 'maxMessageSizeBytes' must be a 32-bit integer", "but it is a string")]
    [InlineData("maxBsonObjectSize", "true", "field 'maxBsonObjectSize' must be a 32-bit integer", "but it is a boolean true")]
    [InlineData("maxWriteBatchSize", "null", "field 'maxWriteBatchSize' must be a 32-bit integer", "but it is null")]
    [InlineData("isWritablePrimary", "1", "field 'isWritablePrimary' must be a boolean", "but it is an int32 1")]
    [InlineData("ismaster", "\"yes\"", "field 'ismaster' must be a boolean", "but it is a string \"yes\"")]
    [InlineData("helloOk", "{}", "field 'helloOk' must be a boolean", "but it is a document")]
    [InlineData("msg", "7", "field 'msg' must be a string", "but it is an int32 7")]
    [InlineData("saslSupportedMechs", "\"SCRAM-SHA-256\"", "field 'saslSupportedMechs' must be an array of strings", "but it is a string")]
    [InlineData("saslSupportedMechs", "[\"SCRAM-SHA-1\", 7]", "field 'saslSupportedMechs[1]' must be a string", "but it is an int32 7")]
    [InlineData("speculativeAuthenticate", "[]", "field 'speculativeAuthenticate' must be a document", "but it is an array")]
    public void A_field_of_the_wrong_type_is_named_with_the_expected_and_the_received_type(string field, string json, string expected, string received)
    {
        var reply = Valid();
        reply[field] = BsonDocument.Parse($"{{ v: {json} }}")["v"];

        var error = Assert.Throws<MongoConnectionException>(() => HelloResult.Parse(reply, Server));

        Assert.Contains("db.example:27017", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains(received, error.Message);
    }

    [Theory]
    [InlineData("maxMessageSizeBytes", 0, "a limit must be positive")]
    [InlineData("maxMessageSizeBytes", -1, "a limit must be positive")]
    [InlineData("maxMessageSizeBytes", 25, "no valid message or document is that small")]
    [InlineData("maxBsonObjectSize", 0, "a limit must be positive")]
    [InlineData("maxBsonObjectSize", -16777216, "a limit must be positive")]
    [InlineData("maxBsonObjectSize", 4, "no valid message or document is that small")]
    [InlineData("maxWriteBatchSize", 0, "a limit must be positive")]
    [InlineData("maxWriteBatchSize", -5, "a limit must be positive")]
    public void A_limit_no_server_could_mean_is_refused(string field, int value, string why)
    {
        var reply = Valid();
        reply[field] = value;

        var error = Assert.Throws<MongoConnectionException>(() => HelloResult.Parse(reply, Server));

        Assert.Contains($"field '{field}' must be at least", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void Limits_above_the_client_cap_are_lowered_to_it()
    {
        var reply = Valid();
        reply["maxMessageSizeBytes"] = int.MaxValue;
        reply["maxBsonObjectSize"] = 1L << 40;
        reply["maxWriteBatchSize"] = 10_000_000;

        var hello = HelloResult.Parse(reply, Server, maxMessageSizeCap: 1_000_000);

        Assert.Equal(1_000_000, hello.MaxMessageSizeBytes);
        Assert.Equal(1_000_000, hello.MaxBsonObjectSize);
        Assert.Equal(100_000, hello.MaxWriteBatchSize);
    }

    [Fact]
    public void Numbers_may_be_int32_int64_or_integral_doubles()
    {
        var reply = Valid();
        reply["maxWireVersion"] = 21.0;
        reply["maxMessageSizeBytes"] = 48_000_000L;
        reply["maxBsonObjectSize"] = 16_777_216.0;
        reply["maxWriteBatchSize"] = 1000L;

        var hello = HelloResult.Parse(reply, Server);

        Assert.Equal(21, hello.MaxWireVersion);
        Assert.Equal(48_000_000, hello.MaxMessageSizeBytes);
        Assert.Equal(16_777_216, hello.MaxBsonObjectSize);
        Assert.Equal(1000, hello.MaxWriteBatchSize);
    }

    [Fact]
    public void The_default_cap_lowers_nothing_mongod_sends()
    {
        var hello = HelloResult.Parse(Valid(), Server);

        Assert.Equal(48_000_000, hello.MaxMessageSizeBytes);
        Assert.Equal(16 * 1024 * 1024, hello.MaxBsonObjectSize);
        Assert.Equal(100_000, hello.MaxWriteBatchSize);
    }

    private static BsonDocument Valid() => new()
    {
        { "ok", 1 }, { "isWritablePrimary", true }, { "helloOk", true }, { "maxWireVersion", 21 }, { "maxMessageSizeBytes", 48_000_000 },
        { "maxBsonObjectSize", 16 * 1024 * 1024 }, { "maxWriteBatchSize", 100_000 }, { "msg", "hello" },
        { "saslSupportedMechs", new BsonArray { "SCRAM-SHA-256" } }, { "speculativeAuthenticate", new BsonDocument("done", false) },
    };
}
