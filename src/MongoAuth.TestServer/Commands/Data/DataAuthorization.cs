using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Connections;
using MongoAuth.TestServer.Data;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands.Data;

/// <summary>What a data command needs the authenticated users' roles to grant on its database.</summary>
internal enum DataPrivilege
{
    /// <summary>Read documents: find, getMore, count, distinct, aggregate (mongod's find action).</summary>
    Find,

    /// <summary>List the catalog: listCollections, listIndexes.</summary>
    List,

    /// <summary>Change documents: insert, update, delete, findAndModify.</summary>
    Write,

    /// <summary>Change the catalog: create, drop, createIndexes, dropIndexes.</summary>
    Ddl,

    /// <summary>dropDatabase.</summary>
    DropDatabase,
}

/// <summary>
/// mongod's built-in roles, reduced to the privileges data commands check: <c>read</c>, <c>readWrite</c>,
/// <c>dbAdmin</c> and <c>dbOwner</c> on the database itself, and on admin <c>readAnyDatabase</c>,
/// <c>readWriteAnyDatabase</c>, <c>dbAdminAnyDatabase</c> and <c>root</c>. Nothing is checked when the server runs
/// without authentication (like mongod without <c>--auth</c>).
/// </summary>
internal static class DataAuthorization
{
    public static bool IsAllowed(MongoTestServer server, ConnectionSession session, string database, DataPrivilege privilege) =>
        !server.Options.RequireAuthentication ||
        session.AuthenticatedUsers.SelectMany(u => u.Roles).Any(role => Grants(role, database, privilege));

    /// <summary>Throws mongod's 13 Unauthorized when the connection's users may not run the command.</summary>
    public static void Demand(MongoTestServer server, ConnectionSession session, string database, DataPrivilege privilege,
        BsonDocument command)
    {
        if (!IsAllowed(server, session, database, privilege))
        {
            var first = command.GetElement(0);
            throw new DataException(13, "Unauthorized",
                $"not authorized on {database} to execute command {{ {first.Name}: {MongoText.Format(first.Value)}, $db: \"{database}\" }}");
        }
    }

    /// <summary>Whether a role grants a privilege on any database (root, the *AnyDatabase roles).</summary>
    public static bool GrantsEverywhere(GrantedRole role, DataPrivilege privilege) =>
        role.Db == "admin" && AnyDatabaseRole(role.Role, privilege);

    private static bool Grants(GrantedRole role, string database, DataPrivilege privilege) =>
        GrantsEverywhere(role, privilege) || (role.Db == database && DatabaseRole(role.Role, privilege));

    private static bool DatabaseRole(string role, DataPrivilege privilege) => role switch
    {
        "read" => privilege is DataPrivilege.Find or DataPrivilege.List,
        "readWrite" => privilege is not DataPrivilege.DropDatabase,
        "dbAdmin" => privilege is DataPrivilege.List or DataPrivilege.Ddl or DataPrivilege.DropDatabase,
        "dbOwner" => true,
        _ => false,
    };

    private static bool AnyDatabaseRole(string role, DataPrivilege privilege) => role switch
    {
        "readAnyDatabase" => privilege is DataPrivilege.Find or DataPrivilege.List,
        "readWriteAnyDatabase" => privilege is not DataPrivilege.DropDatabase,
        "dbAdminAnyDatabase" => privilege is DataPrivilege.List or DataPrivilege.Ddl or DataPrivilege.DropDatabase,
        "root" or "__system" => true,
        _ => false,
    };
}
