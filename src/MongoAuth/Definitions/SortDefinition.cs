using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A sort specification (<c>{ age: -1, name: 1 }</c>): a <see cref="BsonDocument"/> or its JSON text.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class SortDefinition<TDocument>
{
    private SortDefinition(BsonDocument document) => Document = document;

    internal BsonDocument Document { get; }

    /// <summary>A sort from a document.</summary>
    public static implicit operator SortDefinition<TDocument>(BsonDocument document) => FromBsonDocument(document);

    /// <summary>A sort from JSON.</summary>
    public static implicit operator SortDefinition<TDocument>(string json) => FromJson(json);

    /// <summary>A sort from a document (the named form of the implicit conversion).</summary>
    public static SortDefinition<TDocument> FromBsonDocument(BsonDocument document) => new(Definition.Require(document, "sort"));

    /// <summary>A sort from JSON (the named form of the implicit conversion).</summary>
    public static SortDefinition<TDocument> FromJson(string json) => new(Definition.Parse(json, "sort"));

    /// <inheritdoc />
    public override string ToString() => Document.ToJson();
}
