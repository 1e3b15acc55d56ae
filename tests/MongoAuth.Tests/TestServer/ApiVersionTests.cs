using MongoAuth.TestServer;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

/// <summary>The versioned API ("Stable API") parameters, checked as mongod checks them before running a command.</summary>
public sealed class ApiVersionTests
{
    private static async Task<BsonDocument> RunAsync(BsonDocument command)
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions(), default);
        await using var client = await RawClient.ConnectAsync(server);
        return await client.CommandAsync(command);
    }

    public static TheoryData<string, int> Refused => new()
    {
        { """{ping: 1, apiStrict: true}""", 4886600 },
        { """{ping: 1, apiDeprecationErrors: false}""", 4886600 },
        { """{ping: 1, apiVersion: 1}""", 14 },
        { """{ping: 1, apiVersion: "2"}""", 322 },
        { """{ping: 1, apiVersion: "1", apiStrict: "true"}""", 14 },
        { """{ping: 1, apiVersion: "1", apiDeprecationErrors: "false"}""", 14 },
        { """{buildInfo: 1, apiVersion: "1", apiStrict: true}""", 323 },
        { """{connectionStatus: 1, apiVersion: "1", apiStrict: true}""", 323 },
        { """{isMaster: 1, apiVersion: "1", apiStrict: true}""", 323 },
        { """{frobnicate: 1, apiVersion: "1", apiStrict: true}""", 59 },
        { """{find: "c", apiVersion: "2"}""", 322 }, // before the authorization check, as on mongod
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Wrong_or_strict_parameters_are_refused_with_mongods_code(string command, int code)
    {
        var reply = await RunAsync(BsonDocument.Parse(command));

        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal(code, reply["code"].ToInt32());
    }

    [Theory]
    [InlineData("""{ping: 1, apiVersion: "1", apiStrict: true, apiDeprecationErrors: true}""")]
    [InlineData("""{ping: 1, apiVersion: "1", apiStrict: false, apiDeprecationErrors: false}""")]
    [InlineData("""{ping: 1, apiVersion: "1"}""")]
    [InlineData("""{hello: 1, apiVersion: "1", apiStrict: true}""")]
    [InlineData("""{buildInfo: 1, apiVersion: "1"}""")]
    [InlineData("""{buildInfo: 1, apiVersion: "1", apiStrict: false}""")]
    [InlineData("""{connectionStatus: 1, apiVersion: "1", apiDeprecationErrors: true}""")]
    public async Task Acceptable_parameters_let_the_command_run(string command)
    {
        var reply = await RunAsync(BsonDocument.Parse(command));

        Assert.Equal(1.0, reply["ok"].ToDouble());
    }

    [Fact]
    public async Task The_strict_error_names_the_command_and_the_documentation()
    {
        var reply = await RunAsync(BsonDocument.Parse("""{buildInfo: 1, apiVersion: "1", apiStrict: true}"""));

        Assert.Equal("APIStrictError", reply["codeName"].AsString);
        Assert.Contains("buildInfo", reply["errmsg"].AsString, StringComparison.Ordinal);
        Assert.Contains("dochub.mongodb.org", reply["errmsg"].AsString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_type_names_the_field_and_both_types()
    {
        var reply = await RunAsync(BsonDocument.Parse("""{ping: 1, apiVersion: 1}"""));

        Assert.Equal("TypeMismatch", reply["codeName"].AsString);
        Assert.Contains("apiVersion' is the wrong type 'int', expected type 'string'", reply["errmsg"].AsString, StringComparison.Ordinal);
    }
}
