using MongoAuth.Connections;
using MongoDB.Bson;

namespace MongoAuth.Tests.Connections;

public sealed class ClientMetadataTests
{
    private static BsonDocument Os() => new() { { "type", "Linux" }, { "name", "Debian" }, { "architecture", "x64" }, { "version", "13" } };

    private static BsonDocument Env(int regionLength) => new()
    {
        { "name", "aws.lambda" }, { "region", new string('r', regionLength) }, { "memory_mb", 1024 },
    };

    [Fact]
    public void Small_metadata_keeps_every_field()
    {
        var document = ClientMetadata.Create("app", Os(), ".NET 10", Env(5));

        Assert.Equal("app", document["application"]["name"].AsString);
        Assert.Equal("MongoAuth", document["driver"]["name"].AsString);
        Assert.Equal(4, document["os"].AsBsonDocument.ElementCount);
        Assert.Equal(3, document["env"].AsBsonDocument.ElementCount);
    }

    [Fact]
    public void Env_fields_other_than_name_go_first()
    {
        var document = ClientMetadata.Create("app", Os(), ".NET 10", Env(400));

        Assert.True(document.ToBson().Length <= 512);
        Assert.Equal(new BsonDocument("name", "aws.lambda"), document["env"].AsBsonDocument);
        Assert.Equal(4, document["os"].AsBsonDocument.ElementCount);
    }

    [Fact]
    public void Then_os_fields_other_than_type_then_the_whole_env_then_platform_is_truncated()
    {
        var longOs = Os();
        longOs["name"] = new string('n', 300);
        var trimmedOs = ClientMetadata.Create("app", longOs, ".NET 10", Env(5));
        Assert.Equal(new BsonDocument("type", "Linux"), trimmedOs["os"].AsBsonDocument);
        Assert.True(trimmedOs.Contains("env"));

        var longEnvName = new BsonDocument("name", new string('e', 450));
        longOs["name"] = "x";
        var noEnv = ClientMetadata.Create("app", longOs, ".NET 10", longEnvName);
        Assert.False(noEnv.Contains("env"));

        var longPlatform = ClientMetadata.Create("app", Os(), new string('p', 600), new BsonDocument());
        Assert.True(longPlatform.ToBson().Length <= 512);
        Assert.StartsWith("ppp", longPlatform["platform"].AsString);
        Assert.Equal("app", longPlatform["application"]["name"].AsString);
    }

    [Fact]
    public void No_env_without_a_detected_environment()
    {
        var document = ClientMetadata.Create(null, Os(), ".NET 10", new BsonDocument());

        Assert.False(document.Contains("env"));
        Assert.False(document.Contains("application"));
    }
}
