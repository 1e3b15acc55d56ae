using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace MongoAuth.Tests.Data;

/// <summary>
/// A test server with users for the data API tests (ours and the official driver's) and a client for it (plain TCP
/// over loopback, SCRAM): alice (root), reader (read on app) and writer (readWrite on app).
/// </summary>
internal static class DataServer
{
    public const string Password = "correct horse";

    public static async Task<MongoTestServer> StartAsync(TestServerOptions? options = null)
    {
        var server = await MongoTestServer.StartAsync(options ?? new TestServerOptions(), CancellationToken.None);
        server.Users.AddScramUser("admin", "alice", Password, [new GrantedRole("root", "admin")]);
        server.Users.AddScramUser("app", "reader", Password, [new GrantedRole("read", "app")]);
        server.Users.AddScramUser("app", "writer", Password, [new GrantedRole("readWrite", "app")]);
        return server;
    }

    public static MongoClientSettings Settings(MongoTestServer server, string user = "alice", string source = "admin") => new()
    {
        Servers = [new MongoServerAddress("127.0.0.1", server.Port)],
        Credential = MongoCredential.CreateCredential(source, user, Password),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        SocketTimeout = TimeSpan.FromSeconds(10),
        ServerSelectionTimeout = TimeSpan.FromSeconds(5),
    };

    public static MongoClient Connect(MongoTestServer server, string user = "alice", string source = "admin") => new(Settings(server, user, source));

    /// <summary>The app.people collection of <paramref name="client"/>, holding <see cref="People"/>.</summary>
    public static async Task<IMongoCollection<BsonDocument>> SeededPeopleAsync(MongoClient client)
    {
        var people = client.GetDatabase("app").GetCollection<BsonDocument>("people");
        await people.InsertManyAsync(People());
        return people;
    }

    public static BsonDocument[] People() =>
    [
        new() { { "_id", 1 }, { "name", "Ada" }, { "age", 36 }, { "tags", new BsonArray { "math", "code" } } },
        new() { { "_id", 2 }, { "name", "Grace" }, { "age", 85 }, { "tags", new BsonArray { "navy", "code" } } },
        new() { { "_id", 3 }, { "name", "Alan" }, { "age", 41 }, { "tags", new BsonArray { "math" } } },
        new() { { "_id", 4 }, { "name", "Edsger" }, { "age", 72 }, { "tags", new BsonArray() } },
        new() { { "_id", 5 }, { "name", "Barbara" }, { "age", 85 } },
    ];
}

/// <summary>A POCO as applications write them: an ObjectId id the driver assigns, attributes and conventions.</summary>
public sealed class Person
{
    public ObjectId Id { get; set; }

    public string Name { get; set; } = "";

    public int Age { get; set; }

    [BsonIgnoreIfNull]
    public string? City { get; set; }
}
