using MongoAuth.TestServer;
using MongoAuth.TestServer.Tls;
using MongoDB.Bson;
using Official = MongoDB.Driver;

namespace MongoAuth.Tests.Reference;

/// <summary>Helpers to point the official MongoDB.Driver at a test server.</summary>
internal static class OfficialDriver
{
    /// <summary>A test server, over TLS with a throwaway certificate when <paramref name="tls"/> is set.</summary>
    public static Task<MongoTestServer> StartServerAsync(bool tls) => MongoTestServer.StartAsync(new TestServerOptions
    {
        TlsCertificate = tls ? SelfSignedCertificate.CreateForLoopback() : null,
    }, default);

    /// <summary>A client for <paramref name="server"/>; <paramref name="options"/> are extra URI options.</summary>
    public static Official.MongoClient Connect(MongoTestServer server, string userInfo, string options, bool tls)
    {
        string[] query = ["directConnection=true", "serverSelectionTimeoutMS=10000", "connectTimeoutMS=10000", options,
            tls ? "tls=true" : ""];
        var uri = $"mongodb://{userInfo}@127.0.0.1:{server.Port}/?{string.Join('&', query.Where(o => o.Length > 0))}";
        var settings = Official.MongoClientSettings.FromConnectionString(uri);
        if (tls)
        {
            // The server certificate is a throwaway made at test time; trust it through the callback.
            settings.SslSettings = new Official.SslSettings { ServerCertificateValidationCallback = (_, _, _, _) => true };
        }

        return new Official.MongoClient(settings);
    }

    public static Task<BsonDocument> RunAsync(Official.MongoClient client, string command) =>
        client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument(command, 1));

    /// <summary>The <c>{user, db}</c> connectionStatus reports for the client's connection.</summary>
    public static async Task<BsonDocument> IdentityAsync(Official.MongoClient client)
    {
        var status = await RunAsync(client, "connectionStatus");
        return Assert.Single(status["authInfo"]["authenticatedUsers"].AsBsonArray).AsBsonDocument;
    }
}
