using MongoDB.Bson;

namespace MongoAuth;

/// <summary>
/// An update: a document of update operators (<c>{ $set: { city: "London" } }</c>), its JSON text, or an
/// aggregation pipeline (an array of stages). A document without operators is refused: that would be a replacement,
/// which <c>ReplaceOne</c> does.
/// </summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class UpdateDefinition<TDocument>
{
    private UpdateDefinition(BsonValue value) => Value = value;

    /// <summary>The update document or pipeline array, as sent in <c>u</c>.</summary>
    internal BsonValue Value { get; }

    /// <summary>An update from a document of update operators.</summary>
    public static implicit operator UpdateDefinition<TDocument>(BsonDocument document) => FromBsonDocument(document);

    /// <summary>An update from JSON (a document of operators, or an array of pipeline stages).</summary>
    public static implicit operator UpdateDefinition<TDocument>(string json) => FromJson(json);

    /// <summary>An update pipeline from its stages.</summary>
    public static implicit operator UpdateDefinition<TDocument>(BsonDocument[] pipeline) => FromPipeline(pipeline);

    /// <summary>An update from a document of update operators (the named form of the implicit conversion).</summary>
    public static UpdateDefinition<TDocument> FromBsonDocument(BsonDocument document)
    {
        Definition.Require(document, "update");
        if (document.ElementCount == 0 || !document.GetElement(0).Name.StartsWith('$'))
        {
            throw new ArgumentException(
                "An update document must contain update operators such as $set or $inc; to replace a whole document use ReplaceOne.",
                nameof(document));
        }

        return new UpdateDefinition<TDocument>(document);
    }

    /// <summary>An update from JSON (the named form of the implicit conversion).</summary>
    public static UpdateDefinition<TDocument> FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json.TrimStart().StartsWith('[')
            ? FromPipeline(Stages(Definition.ParseArray(json, "update pipeline")))
            : FromBsonDocument(Definition.Parse(json, "update"));
    }

    /// <summary>The stages of a pipeline parsed from JSON: every element must be a document.</summary>
    private static List<BsonDocument> Stages(BsonArray array)
    {
        var stages = new List<BsonDocument>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            stages.Add(array[i] as BsonDocument ?? throw new ArgumentException(
                $"An update pipeline must be an array of stage documents, but element {i} is {array[i].BsonType.ToString().ToLowerInvariant()}.", "json"));
        }

        return stages;
    }

    /// <summary>An update pipeline (MongoDB 4.2+) from its stages.</summary>
    public static UpdateDefinition<TDocument> FromPipeline(IEnumerable<BsonDocument> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var array = new BsonArray();
        foreach (var stage in stages)
        {
            array.Add(stage ?? throw new ArgumentException("An update pipeline stage must not be null.", nameof(stages)));
        }

        return new UpdateDefinition<TDocument>(array);
    }

    /// <inheritdoc />
    public override string ToString() => Value.ToJson();
}
