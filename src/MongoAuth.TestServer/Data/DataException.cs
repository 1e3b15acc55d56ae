using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// A failure of a data operation with mongod's code, codeName and message. Commands turn it into an
/// <c>{ok:0}</c> reply or, inside a write batch, into one entry of <c>writeErrors</c>.
/// </summary>
internal sealed class DataException(int code, string codeName, string message, BsonDocument? details = null)
    : Exception(message)
{
    public int Code { get; } = code;

    public string CodeName { get; } = codeName;

    /// <summary>Extra fields mongod adds to the error (e.g. keyPattern and keyValue of a duplicate key).</summary>
    public BsonDocument? Details { get; } = details;

    public static DataException BadValue(string message) => new(2, "BadValue", message);

    public static DataException FailedToParse(string message) => new(9, "FailedToParse", message);

    public static DataException TypeMismatch(string message) => new(14, "TypeMismatch", message);

    public static DataException InvalidNamespace(string message) => new(73, "InvalidNamespace", message);

    public static DataException NamespaceNotFound(string message) => new(26, "NamespaceNotFound", message);

    /// <summary>A mongod error known only by its numeric code (codeName "Location&lt;code&gt;").</summary>
    public static DataException Location(int code, string message) => new(code, $"Location{code}", message);

    /// <summary>Something mongod supports that this in-memory store deliberately does not.</summary>
    public static DataException NotSupported(string what) =>
        new(115, "CommandNotSupported", $"{what} is not supported by the MongoAuth test server");
}
