using MongoDB.Bson;

namespace MongoAuth.Diagnostics;

/// <summary>
/// What an operation span and the duration metric say about an operation: the command's name
/// (<c>db.operation.name</c>), its database (<c>db.namespace</c>) and, when the operation has one, its collection
/// (<c>db.collection.name</c>). The data API passes its own; <see cref="ForCommand"/> reads a command document.
/// </summary>
internal readonly record struct OperationTarget(string OperationName, string Database, string? Collection)
{
    /// <summary>The span name the conventions ask for: <c>{db.operation.name} {target}</c>, the target being the
    /// collection when known, otherwise the database.</summary>
    public string SpanName => $"{OperationName} {Collection ?? Database}";

    /// <summary>
    /// The target of a command document: its first element names the command; for the commands whose first value is
    /// a collection name (MongoDB's CRUD, index and collection commands) that string is the collection, and
    /// <c>getMore</c> names it in <c>collection</c>. A database-level <c>aggregate: 1</c> has none.
    /// </summary>
    public static OperationTarget ForCommand(string database, BsonDocument command)
    {
        if (command.ElementCount == 0)
        {
            return new OperationTarget("(empty)", database, null);
        }
        var first = command.GetElement(0);
        string? collection = null;
        if (first.Name == "getMore")
        {
            collection = command.TryGetValue("collection", out var c) && c.IsString ? c.AsString : null;
        }
        else if (first.Value.IsString && NamesCollection(first.Name))
        {
            collection = first.Value.AsString;
        }
        return new OperationTarget(first.Name, database, collection);
    }

    private static bool NamesCollection(string command) => command switch
    {
        "find" or "insert" or "update" or "delete" or "findAndModify" or "aggregate" or "count" or "distinct" or
        "create" or "drop" or "collMod" or "createIndexes" or "dropIndexes" or "listIndexes" or "validate" or
        "collStats" or "bulkWrite" => true,
        _ => false,
    };
}
