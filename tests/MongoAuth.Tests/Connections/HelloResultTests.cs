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
            { "maxBsonObjectSize", 500 }, { "saslSupportedMechs", new BsonArray { "SCRAM-SHA-1", 7, "SCRAM-SHA-256" } },
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
}
