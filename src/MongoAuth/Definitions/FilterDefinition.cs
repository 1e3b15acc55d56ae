using MongoDB.Bson;

namespace MongoAuth;

/// <summary>
/// A query filter: a <see cref="BsonDocument"/> or its JSON text (converted implicitly, as in MongoDB.Driver), e.g.
/// <c>people.Find("{ age: { $gte: 40 } }")</c>. The document is sent as given and never modified.
/// </summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class FilterDefinition<TDocument>
{
    private FilterDefinition(BsonDocument document) => Document = document;

    /// <summary>The filter that matches every document (<c>{}</c>).</summary>
    public static FilterDefinition<TDocument> Empty { get; } = new(new BsonDocument());

    internal BsonDocument Document { get; }

    /// <summary>A filter from a document.</summary>
    public static implicit operator FilterDefinition<TDocument>(BsonDocument document) => FromBsonDocument(document);

    /// <summary>A filter from JSON (MongoDB extended JSON, shell syntax accepted).</summary>
    public static implicit operator FilterDefinition<TDocument>(string json) => FromJson(json);

    /// <summary>A filter from a document (the named form of the implicit conversion).</summary>
    public static FilterDefinition<TDocument> FromBsonDocument(BsonDocument document) => new(Definition.Require(document, "filter"));

    /// <summary>A filter from JSON (the named form of the implicit conversion).</summary>
    public static FilterDefinition<TDocument> FromJson(string json) => new(Definition.Parse(json, "filter"));

    /// <inheritdoc />
    public override string ToString() => Document.ToJson();
}
