namespace MongoAuth.TestServer.Commands;

/// <summary>
/// Command names as mongod knows them, independent of which ones the test server implements. mongod looks a command
/// up before it checks authentication, so a name it does not know is CommandNotFound (59) even before login, while a
/// name it knows is Unauthorized (13) until the connection authenticates.
/// </summary>
internal static class MongodCommands
{
    /// <summary>
    /// The commands of Stable API version 1 (MongoDB manual, "Stable API Changelog"); with <c>apiStrict: true</c>
    /// every other command fails with APIStrictError (323).
    /// </summary>
    public static readonly IReadOnlySet<string> ApiVersion1 = new HashSet<string>(StringComparer.Ordinal)
    {
        "abortTransaction", "aggregate", "authenticate", "bulkWrite", "collMod", "commitTransaction", "count", "create",
        "createIndexes", "delete", "drop", "dropDatabase", "dropIndexes", "endSessions", "explain", "find",
        "findAndModify", "getMore", "hello", "insert", "killCursors", "listCollections", "listDatabases", "listIndexes",
        "ping", "refreshSessions", "saslContinue", "saslStart", "update",
    };

    /// <summary>
    /// Commands a mongod (8.0, standalone) registers, beyond <see cref="ApiVersion1"/>: the ones drivers, shells and
    /// tools commonly send. A name missing here is answered as an unknown command, so the list errs on the side of
    /// mongod's real command set.
    /// </summary>
    private static readonly HashSet<string> Others = new(StringComparer.Ordinal)
    {
        // handshake, sessions, diagnostics
        "isMaster", "ismaster", "buildInfo", "buildinfo", "connectionStatus", "getnonce", "logout", "whatsmyuri",
        "serverStatus", "hostInfo", "listCommands", "getCmdLineOpts", "getLog", "getParameter", "setParameter",
        "startSession", "killSessions", "killAllSessions", "killAllSessionsByPattern", "refreshLogicalSessionCacheNow",
        "currentOp", "killOp", "top", "dbStats", "collStats", "dataSize", "dbHash", "validate", "features", "lockInfo",
        "connPoolStats", "shardingState", "profile", "logRotate", "fsync", "fsyncUnlock", "shutdown", "getDefaultRWConcern",
        "setDefaultRWConcern", "setFeatureCompatibilityVersion", "replSetGetStatus",
        "replSetInitiate", "replSetGetConfig", "configureFailPoint", "compact", "reIndex", "renameCollection",
        "cloneCollectionAsCapped", "convertToCapped", "distinct", "mapReduce", "listSearchIndexes",
        "createSearchIndexes", "dropSearchIndex", "updateSearchIndex", "cleanupOrphaned", "planCacheClear",
        "planCacheClearFilters", "planCacheListFilters", "planCacheSetFilter", "releaseMemory",
        // users and roles
        "createUser", "updateUser", "dropUser", "dropAllUsersFromDatabase", "usersInfo", "grantRolesToUser",
        "revokeRolesFromUser", "createRole", "updateRole", "dropRole", "dropAllRolesFromDatabase", "rolesInfo",
        "grantPrivilegesToRole", "revokePrivilegesFromRole", "grantRolesToRole", "revokeRolesFromRole",
        "invalidateUserCache",
    };

    /// <summary>Whether mongod would recognise <paramref name="name"/> as a command.</summary>
    public static bool IsKnown(string name) => ApiVersion1.Contains(name) || Others.Contains(name);
}
