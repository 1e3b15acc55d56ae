using MongoAuth.Tests.Reference;
using MongoAuth.TestServer;
using MongoDB.Bson;
using static MongoAuth.Tests.Gssapi.KerberosBackend;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>Connection strings and clients for the GSSAPI end-to-end tests against the test server and the loopback KDC.</summary>
internal static class GssapiEndToEnd
{
    /// <summary>
    /// A GSSAPI connection string for <paramref name="server"/>: the principal (percent-encoded), the password when
    /// given, <paramref name="host"/> (it names the service) and extra <paramref name="options"/>.
    /// </summary>
    public static string Uri(MongoTestServer server, string? password, string host = "localhost", string options = "", string? user = null) =>
        $"mongodb://{GssapiReferenceTests.UserInfo(user ?? User, password)}@{host}:{server.Port}/" +
        $"?authMechanism=GSSAPI&authSource=$external&directConnection=true&serverSelectionTimeoutMS=10000{options}";

    /// <summary>Pings, then returns the one user connectionStatus reports, as <c>{user, db}</c>.</summary>
    public static async Task<BsonDocument> PingAndIdentityAsync(Mode mode, MongoClient client)
    {
        var ping = await client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument("ping", 1));
        Assert.Equal(1.0, ping["ok"].ToDouble());
        var user = Assert.Single((await client.GetConnectionStatusIn(mode)).AuthenticatedUsers);
        return new BsonDocument { { "user", user.User }, { "db", user.Database } };
    }

    /// <summary>Runs ping and expects authentication to fail; no command may have run.</summary>
    public static async Task<MongoAuthenticationException> FailsAsync(Mode mode, MongoTestServer server, string uri)
    {
        await using var client = new MongoClient(uri);
        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument("ping", 1)));
        Assert.Equal("GSSAPI", error.Mechanism);
        Assert.Equal(0, server.Statistics.CommandsReceived("ping"));
        return error;
    }
}
