using MongoDB.Bson;

namespace MongoAuth.Connections;

/// <summary>
/// What the command path needs of a session: the <c>lsid</c> a command about to go to a connection carries. Declared
/// here so the cluster can run a command in a session without depending on how sessions are pooled.
/// </summary>
internal interface ILogicalSession
{
    /// <summary>The <c>lsid</c> for a command on <paramref name="connection"/>; null when its server does not support sessions.</summary>
    BsonDocument? IdFor(Connection connection);
}
