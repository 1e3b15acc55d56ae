using MongoAuth.Tests.Reference;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;
using MongoDB.Driver;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.TestServer.Data;

/// <summary>
/// Roles decide what data commands a user may run, as mongod's built-in roles do; the official driver is the client,
/// so the refusals are checked in the form real drivers receive them.
/// </summary>
public sealed class DataRoleTests
{
    [Theory]
    // role, role db → may read app, may write app, may create an index on app, may drop the app database
    [InlineData("read", "app", true, false, false, false)]
    [InlineData("readWrite", "app", true, true, true, false)]
    [InlineData("dbAdmin", "app", false, false, true, true)]
    [InlineData("dbOwner", "app", true, true, true, true)]
    [InlineData("readWrite", "other", false, false, false, false)]
    [InlineData("readAnyDatabase", "admin", true, false, false, false)]
    [InlineData("readWriteAnyDatabase", "admin", true, true, true, false)]
    [InlineData("root", "admin", true, true, true, true)]
    public async Task Built_in_roles_grant_what_mongod_grants(string role, string roleDb, bool read, bool write, bool index, bool dropDatabase)
    {
        await using var server = await OfficialDriver.StartServerAsync(tls: false);
        server.Users.AddScramUser("admin", "user", "pw", [new GrantedRole(role, roleDb)]);
        server.Users.AddScramUser("admin", "root", "pw", [new GrantedRole("root", "admin")]);
        using var root = OfficialDriver.Connect(server, "root:pw", "", tls: false);
        await root.GetDatabase("app").GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument("_id", 1));
        using var client = OfficialDriver.Connect(server, "user:pw", "", tls: false);
        var app = client.GetDatabase("app");

        Assert.Equal(read, await Allowed(() => app.GetCollection<BsonDocument>("c").Find(new BsonDocument()).ToListAsync()));
        Assert.Equal(write, await Allowed(() => app.GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument("_id", 2))));
        Assert.Equal(index, await Allowed(() => app.GetCollection<BsonDocument>("c").Indexes.CreateOneAsync(
            new Official.CreateIndexModel<BsonDocument>(new BsonDocument("a", 1)))));
        Assert.Equal(dropDatabase, await Allowed(() => client.DropDatabaseAsync("app")));
    }

    private static async Task<bool> Allowed(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (Official.MongoCommandException e) when (e.Code == 13)
        {
            Assert.Equal("Unauthorized", e.CodeName);
            Assert.StartsWith("not authorized on app to execute command {", e.Result["errmsg"].AsString, StringComparison.Ordinal);
            return false;
        }
    }

    [Fact]
    public async Task ListDatabases_shows_a_user_only_the_databases_it_holds_roles_on()
    {
        await using var server = await OfficialDriver.StartServerAsync(tls: false);
        server.Users.AddScramUser("admin", "root", "pw", [new GrantedRole("root", "admin")]);
        server.Users.AddScramUser("app", "app", "pw", [new GrantedRole("readWrite", "app")]);
        using var root = OfficialDriver.Connect(server, "root:pw", "", tls: false);
        await root.GetDatabase("app").GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument());
        await root.GetDatabase("secret").GetCollection<BsonDocument>("c").InsertOneAsync(new BsonDocument());
        using var client = OfficialDriver.Connect(server, "app:pw", "authSource=app", tls: false);

        var mine = await (await client.ListDatabaseNamesAsync()).ToListAsync();
        var all = await (await root.ListDatabaseNamesAsync()).ToListAsync();

        Assert.Equal(["app"], mine);
        Assert.Equal(["app", "secret"], all);
    }

    [Fact]
    public async Task Without_authentication_required_every_connection_may_write()
    {
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions { RequireAuthentication = false }, default);
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(BsonDocument.Parse("{insert: 'c', documents: [{_id: 1}]}"), "app");

        Assert.Equal(1, reply["n"].AsInt32);
    }
}
