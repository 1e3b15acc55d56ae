using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands;

/// <summary>
/// The privileges of mongod's built-in roles, as <c>connectionStatus</c> with <c>showPrivileges: true</c> lists them
/// in <c>authenticatedUserPrivileges</c>: one <c>{resource, actions}</c> per resource. Only the database-level and
/// "any database" roles are modelled (read, readWrite, dbAdmin, userAdmin, dbOwner, their AnyDatabase forms and root),
/// on the database or cluster resource; mongod also grants on a few system collections, which the test server leaves
/// out. A role not modelled here contributes no privileges.
/// </summary>
internal static class RolePrivileges
{
    private static readonly string[] Read =
        ["changeStream", "collStats", "dbHash", "dbStats", "find", "killCursors", "listCollections", "listIndexes",
         "listSearchIndexes", "planCacheRead"];

    private static readonly string[] ReadWrite =
        [.. Read, "convertToCapped", "createCollection", "createIndex", "dropCollection", "dropIndex", "insert", "remove",
         "renameCollectionSameDB", "update"];

    private static readonly string[] DbAdmin =
        ["bypassDocumentValidation", "collMod", "collStats", "compact", "convertToCapped", "createCollection",
         "createIndex", "dbStats", "dropCollection", "dropDatabase", "dropIndex", "enableProfiler", "listCollections",
         "listIndexes", "planCacheIndexFilter", "planCacheRead", "planCacheWrite", "reIndex", "renameCollectionSameDB",
         "storageDetails", "validate"];

    private static readonly string[] UserAdmin =
        ["changeCustomData", "changePassword", "createRole", "createUser", "dropRole", "dropUser", "grantRole",
         "revokeRole", "setAuthenticationRestriction", "viewRole", "viewUser"];

    /// <summary>The privileges of all <paramref name="roles"/>, merged per resource, actions sorted.</summary>
    public static BsonArray Of(IEnumerable<GrantedRole> roles)
    {
        var byResource = new Dictionary<string, (BsonDocument Resource, SortedSet<string> Actions)>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            foreach (var (resource, actions) in Grants(role))
            {
                var key = resource.ToString();
                if (!byResource.TryGetValue(key, out var entry))
                {
                    entry = (resource, new SortedSet<string>(StringComparer.Ordinal));
                    byResource[key] = entry;
                }

                entry.Actions.UnionWith(actions);
            }
        }

        return new BsonArray(byResource.Values.Select(e =>
            new BsonDocument { { "resource", e.Resource }, { "actions", new BsonArray(e.Actions) } }));
    }

    private static IEnumerable<(BsonDocument Resource, IEnumerable<string> Actions)> Grants(GrantedRole role)
    {
        var database = Database(role.Db);
        var anyDatabase = Database("");
        BsonDocument cluster = new("cluster", true);
        switch (role.Role)
        {
            case "read":
                yield return (database, Read);
                break;
            case "readWrite":
                yield return (database, ReadWrite);
                break;
            case "dbAdmin":
                yield return (database, DbAdmin);
                break;
            case "userAdmin":
                yield return (database, UserAdmin);
                break;
            case "dbOwner":
                yield return (database, [.. ReadWrite, .. DbAdmin, .. UserAdmin]);
                break;
            // The AnyDatabase roles exist only on admin; elsewhere mongod would not have granted them.
            case "readAnyDatabase" when role.Db == "admin":
                yield return (anyDatabase, Read);
                yield return (cluster, ["listDatabases"]);
                break;
            case "readWriteAnyDatabase" when role.Db == "admin":
                yield return (anyDatabase, ReadWrite);
                yield return (cluster, ["listDatabases"]);
                break;
            case "root" when role.Db == "admin":
                yield return (new BsonDocument("anyResource", true), ["anyAction"]);
                break;
        }
    }

    private static BsonDocument Database(string db) => new() { { "db", db }, { "collection", "" } };
}
