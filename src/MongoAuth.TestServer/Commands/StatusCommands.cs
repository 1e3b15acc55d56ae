using MongoAuth.TestServer.Connections;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands;

/// <summary>Diagnostics: buildInfo and connectionStatus.</summary>
internal static class StatusCommands
{
    /// <summary>The MongoDB version the server claims (matches maxWireVersion 25).</summary>
    public const string Version = "8.0.0";

    public static BsonDocument BuildInfo() => new()
    {
        { "version", Version },
        { "gitVersion", "mongoauth-testserver" },
        { "versionArray", new BsonArray { 8, 0, 0, 0 } },
        { "bits", 64 },
        { "debug", false },
        { "maxBsonObjectSize", WireLimits.DefaultMaxDocumentSize },
        { "storageEngines", new BsonArray() },
        // PLAIN with LDAP and GSSAPI are MongoDB Enterprise features; tools read this field to tell the editions apart.
        { "modules", new BsonArray { "enterprise" } },
    };

    /// <summary>
    /// <c>{authInfo:{authenticatedUsers:[{user,db}], authenticatedUserRoles:[{role,db}]}}</c>, plus
    /// <c>authenticatedUserPrivileges</c> when the command asks with <c>showPrivileges: true</c>.
    /// </summary>
    public static BsonDocument ConnectionStatus(ConnectionSession session, BsonDocument command)
    {
        var users = new BsonArray(session.AuthenticatedUsers.Select(u => new BsonDocument { { "user", u.User }, { "db", u.Db } }));
        var roles = new BsonArray(session.AuthenticatedUsers.SelectMany(u => u.Roles).Distinct()
            .Select(r => new BsonDocument { { "role", r.Role }, { "db", r.Db } }));
        var authInfo = new BsonDocument { { "authenticatedUsers", users }, { "authenticatedUserRoles", roles } };
        if (command.GetValue("showPrivileges", false).ToBoolean())
        {
            authInfo["authenticatedUserPrivileges"] = RolePrivileges.Of(session.AuthenticatedUsers.SelectMany(u => u.Roles));
        }

        return new BsonDocument { { "authInfo", authInfo } };
    }
}
