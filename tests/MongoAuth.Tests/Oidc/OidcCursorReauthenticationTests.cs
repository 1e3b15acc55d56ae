using MongoAuth.Authentication.Oidc;
using MongoAuth.Tests.Data;
using MongoAuth.Tests.Support;
using MongoAuth.TestServer.FailPoints;
using MongoDB.Bson;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// MONGODB-OIDC reauthentication in the middle of a cursor (the authentication specification's sequence
/// <c>find → getMore 391 → saslStart → getMore</c>): the connection's token is replaced through the callback and the
/// same cursor goes on, on the same connection, without the application seeing the 391.
/// </summary>
public sealed class OidcCursorReauthenticationTests
{
    [Theory, BothModes]
    public async Task A_391_on_getMore_gets_a_new_token_and_the_cursor_continues_on_the_same_connection(Mode mode)
    {
        await using var server = await OidcTestServer.StartAsync();
        var callback = new RecordingCallback((_, _) => new OidcToken(server.Token()));
        await using var client = new MongoClient(server.Settings(callback));
        var numbers = client.GetDatabase("app").GetCollection<BsonDocument>("numbers");
        await numbers.InsertManyAsync(Enumerable.Range(0, 7).Select(i => new BsonDocument("_id", i)));
        var cursor = await mode.Run(() => numbers.FindSync(FilterDefinition<BsonDocument>.Empty, new FindOptions<BsonDocument> { BatchSize = 3 }),
            () => numbers.FindAsync(FilterDefinition<BsonDocument>.Empty, new FindOptions<BsonDocument> { BatchSize = 3 }));
        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        var connections = server.Server.Statistics.ConnectionsAccepted;
        var saslStarts = server.SaslStarts;
        server.Server.ConfigureFailPoint(new FailCommand { Commands = ["getMore"], ErrorCode = 391, Times = 1 });

        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));
        Assert.True(await mode.Run(() => cursor.MoveNext(), () => cursor.MoveNextAsync()));

        Assert.Equal([6], cursor.Current.Select(d => d["_id"].AsInt32));
        Assert.Equal(2, callback.CallCount); // the token the server stopped accepting was dropped, a new one fetched
        Assert.Equal(saslStarts + 1, server.SaslStarts);
        Assert.Equal(connections, server.Server.Statistics.ConnectionsAccepted);
        Assert.Equal(3, server.Server.Statistics.CommandsReceived("getMore")); // the refused one, its retry, the last batch
        cursor.Dispose();
    }
}
