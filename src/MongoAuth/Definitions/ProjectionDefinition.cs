using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A projection (<c>{ name: 1, _id: 0 }</c>): a <see cref="BsonDocument"/> or its JSON text.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class ProjectionDefinition<TDocument>
{
    private ProjectionDefinition(BsonDocument document) => Document = document;

    internal BsonDocument Document { get; }

    /// <summary>A projection from a document.</summary>
    public static implicit operator ProjectionDefinition<TDocument>(BsonDocument document) => FromBsonDocument(document);

    /// <summary>A projection from JSON.</summary>
    public static implicit operator ProjectionDefinition<TDocument>(string json) => FromJson(json);

    /// <summary>A projection from a document (the named form of the implicit conversion).</summary>
    public static ProjectionDefinition<TDocument> FromBsonDocument(BsonDocument document) => new(Definition.Require(document, "projection"));

    /// <summary>A projection from JSON (the named form of the implicit conversion).</summary>
    public static ProjectionDefinition<TDocument> FromJson(string json) => new(Definition.Parse(json, "projection"));

    /// <inheritdoc />
    public override string ToString() => Document.ToJson();
}
