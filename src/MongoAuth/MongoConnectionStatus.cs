using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A user a connection is authenticated as.</summary>
/// <param name="User">The user name (for X.509 the certificate subject).</param>
/// <param name="Database">The database the user is defined in.</param>
public sealed record MongoAuthenticatedUser(string User, string Database);

/// <summary>A role the authenticated user holds.</summary>
/// <param name="Role">The role name.</param>
/// <param name="Database">The database the role is defined on.</param>
public sealed record MongoUserRole(string Role, string Database);

/// <summary>What <c>connectionStatus</c> reports: who the connection is authenticated as and with which roles.</summary>
/// <param name="AuthenticatedUsers">The authenticated users (empty without authentication).</param>
/// <param name="AuthenticatedUserRoles">Their roles.</param>
public sealed record MongoConnectionStatus(IReadOnlyList<MongoAuthenticatedUser> AuthenticatedUsers, IReadOnlyList<MongoUserRole> AuthenticatedUserRoles)
{
    internal static MongoConnectionStatus FromReply(BsonDocument reply)
    {
        var info = reply.GetValue("authInfo", new BsonDocument()).AsBsonDocument;
        return new MongoConnectionStatus(
            [.. Documents(info, "authenticatedUsers").Select(u => new MongoAuthenticatedUser(u.GetValue("user", "").AsString, u.GetValue("db", "").AsString))],
            [.. Documents(info, "authenticatedUserRoles").Select(r => new MongoUserRole(r.GetValue("role", "").AsString, r.GetValue("db", "").AsString))]);
    }

    private static IEnumerable<BsonDocument> Documents(BsonDocument parent, string name) =>
        parent.TryGetValue(name, out var value) && value is BsonArray array ? array.OfType<BsonDocument>() : [];

    /// <summary>The users and roles, e.g. <c>demo@admin [readWrite@app]</c>.</summary>
    public override string ToString() =>
        AuthenticatedUsers.Count == 0
            ? "not authenticated"
            : $"{string.Join(", ", AuthenticatedUsers.Select(u => $"{u.User}@{u.Database}"))} [{string.Join(", ", AuthenticatedUserRoles.Select(r => $"{r.Role}@{r.Database}"))}]";
}
