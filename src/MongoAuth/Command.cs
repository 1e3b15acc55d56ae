using MongoDB.Bson;

namespace MongoAuth;

/// <summary>A command for <c>RunCommand&lt;TResult&gt;</c>: a <see cref="BsonDocument"/> or its JSON text (both convert implicitly).</summary>
/// <typeparam name="TResult">The type the reply is read into.</typeparam>
public sealed class Command<TResult>
{
    private Command(BsonDocument document) => Document = document;

    internal BsonDocument Document { get; }

    /// <summary>A command from a document.</summary>
    public static implicit operator Command<TResult>(BsonDocument document) => FromBsonDocument(document);

    /// <summary>A command from JSON, e.g. <c>"{ ping: 1 }"</c>.</summary>
    public static implicit operator Command<TResult>(string json) => FromJson(json);

    /// <summary>A command from a document (the named form of the implicit conversion).</summary>
    public static Command<TResult> FromBsonDocument(BsonDocument document) => new(Definition.Require(document, "command"));

    /// <summary>A command from JSON (the named form of the implicit conversion).</summary>
    public static Command<TResult> FromJson(string json) => new(Definition.Parse(json, "command"));

    /// <inheritdoc />
    public override string ToString() => Document.ToJson();
}
