using MongoDB.Bson;

namespace MongoAuth;

/// <summary>The keys of an index (<c>{ name: 1, age: -1 }</c>): a <see cref="BsonDocument"/> or its JSON text.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class IndexKeysDefinition<TDocument>
{
    private IndexKeysDefinition(BsonDocument document) => Document = document;

    internal BsonDocument Document { get; }

    /// <summary>Index keys from a document.</summary>
    public static implicit operator IndexKeysDefinition<TDocument>(BsonDocument document) => FromBsonDocument(document);

    /// <summary>Index keys from JSON.</summary>
    public static implicit operator IndexKeysDefinition<TDocument>(string json) => FromJson(json);

    /// <summary>Index keys from a document (the named form of the implicit conversion).</summary>
    public static IndexKeysDefinition<TDocument> FromBsonDocument(BsonDocument document) => new(Definition.Require(document, "keys"));

    /// <summary>Index keys from JSON (the named form of the implicit conversion).</summary>
    public static IndexKeysDefinition<TDocument> FromJson(string json) => new(Definition.Parse(json, "keys"));

    /// <inheritdoc />
    public override string ToString() => Document.ToJson();
}
