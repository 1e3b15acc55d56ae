using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace MongoAuth;

/// <summary>The shared checks of the definition types (filters, sorts, updates, projections, index keys).</summary>
internal static class Definition
{
    public static BsonDocument Require(BsonDocument? document, string what) =>
        document ?? throw new ArgumentNullException(what, $"The {what} document must not be null; use an empty document to match everything.");

    public static BsonDocument Parse(string? json, string what)
    {
        ArgumentNullException.ThrowIfNull(json, what);
        try
        {
            return BsonDocument.Parse(json);
        }
        // MongoDB.Bson's JSON reader reports a truncated document ("{ age: ") as InvalidOperationException (a reader
        // state error), not FormatException; all of these mean the caller's text is not a JSON document.
        catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException or BsonException)
        {
            throw new ArgumentException($"The {what} is not a valid JSON document: {e.Message}", what, e);
        }
    }

    /// <summary>A JSON array (an update pipeline's text), with nothing after it.</summary>
    public static BsonArray ParseArray(string json, string what)
    {
        try
        {
            using var reader = new JsonReader(json);
            var array = BsonArraySerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(reader));
            if (!reader.IsAtEndOfFile())
            {
                throw new FormatException("there is more text after the array.");
            }

            return array;
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or InvalidOperationException or BsonException)
        {
            throw new ArgumentException($"The {what} is not a valid JSON array: {e.Message}", what, e);
        }
    }
}
