using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Data;

/// <summary>An update pipeline given as JSON must be an array of stage documents: anything else is the caller's mistake, said plainly.</summary>
public sealed class UpdatePipelineTests
{
    [Theory, BothModes]
    public async Task A_pipeline_of_stage_documents_updates(Mode mode)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = await DataServer.SeededPeopleAsync(client);

        var result = await mode.Run(() => people.UpdateOne("{ _id: 1 }", "[{ $set: { age: 37 } }]"),
            () => people.UpdateOneAsync("{ _id: 1 }", "[{ $set: { age: 37 } }]"));

        Assert.Equal(1, result.ModifiedCount);
        Assert.Equal(37, (await people.Find("{ _id: 1 }").SingleAsync())["age"].AsInt32);
    }

    [Theory]
    [InlineData("[1]", "element 0 is int32")]
    [InlineData("[{ $set: { a: 1 } }, \"x\"]", "element 1 is string")]
    [InlineData("[{ $set: { a: 1 } }, null]", "element 1 is null")]
    [InlineData("[{ $set: { a: 1 } }], q: 1", "more text after the array")]
    [InlineData("[{ $set: ", "not a valid JSON array")]
    public async Task A_pipeline_with_anything_but_stage_documents_is_an_argument_error_in_both_modes(string json, string says)
    {
        await using var server = await DataServer.StartAsync();
        await using var client = DataServer.Connect(server);
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");

        foreach (var mode in new[] { Mode.Sync, Mode.Async })
        {
            var error = await Record.ExceptionAsync(() => mode.Run(() => people.UpdateOne("{ _id: 1 }", json), () => people.UpdateOneAsync("{ _id: 1 }", json)));

            var argument = Assert.IsAssignableFrom<ArgumentException>(error);
            Assert.Contains(says, argument.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, server.Statistics.CommandsReceived("update"));
    }

    [Fact]
    public void A_null_stage_in_a_list_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => UpdateDefinition<BsonDocument>.FromPipeline([new BsonDocument("$set", new BsonDocument("a", 1)), null!]));

        Assert.Equal("stages", error.ParamName);
    }
}
