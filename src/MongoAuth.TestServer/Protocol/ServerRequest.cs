using MongoDB.Bson;

namespace MongoAuth.TestServer.Protocol;

/// <summary>One command the server received: the OP_MSG body (with document sequences folded in) or the OP_QUERY query.</summary>
/// <param name="RequestId">The client's requestID, echoed as responseTo.</param>
/// <param name="IsLegacyQuery">Whether it came as OP_QUERY (answered with OP_REPLY).</param>
/// <param name="Command">The command document; its first key is the command name.</param>
/// <param name="MoreToCome">Whether the client set moreToCome (no reply is sent).</param>
/// <param name="ExhaustAllowed">Whether the client set exhaustAllowed (it accepts a stream of moreToCome replies).</param>
internal sealed record ServerRequest(int RequestId, bool IsLegacyQuery, BsonDocument Command, bool MoreToCome,
    bool ExhaustAllowed = false)
{
    /// <summary>How many OP_MSG document sequences (kind-1 sections) the request carried, before they were folded into <see cref="Command"/>.</summary>
    public int DocumentSequences { get; init; }

    /// <summary>The command name (the first key).</summary>
    public string Name => Command.ElementCount == 0 ? "" : Command.GetElement(0).Name;

    /// <summary>The command's <c>$db</c>, or admin when absent.</summary>
    public string Database => Command.TryGetValue("$db", out var db) && db.IsString ? db.AsString : "admin";
}
