using MongoDB.Bson;

namespace MongoAuth;

/// <summary>
/// An aggregation pipeline: its stages as <see cref="BsonDocument"/>s (an array or a list converts implicitly), or
/// the JSON text of the stage array. <typeparamref name="TOutput"/> is the type each result is read into.
/// </summary>
/// <typeparam name="TInput">The collection's document type.</typeparam>
/// <typeparam name="TOutput">The type of the pipeline's results.</typeparam>
public sealed class PipelineDefinition<TInput, TOutput>
{
    private PipelineDefinition(BsonArray stages) => Stages = stages;

    internal BsonArray Stages { get; }

    /// <summary>A pipeline from its stages.</summary>
    public static implicit operator PipelineDefinition<TInput, TOutput>(BsonDocument[] stages) => Create(stages);

    /// <summary>A pipeline from its stages.</summary>
    public static implicit operator PipelineDefinition<TInput, TOutput>(List<BsonDocument> stages) => Create(stages);

    /// <summary>A pipeline from the JSON text of its stage array, e.g. <c>"[{ $match: { a: 1 } }]"</c>.</summary>
    public static implicit operator PipelineDefinition<TInput, TOutput>(string json) => FromJson(json);

    /// <summary>A pipeline from its stages (the named form of the implicit conversions).</summary>
    public static PipelineDefinition<TInput, TOutput> Create(IEnumerable<BsonDocument> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var array = new BsonArray();
        foreach (var stage in stages)
        {
            array.Add(stage ?? throw new ArgumentException("A pipeline stage must not be null.", nameof(stages)));
        }

        return new PipelineDefinition<TInput, TOutput>(array);
    }

    /// <summary>A pipeline from the JSON text of its stage array.</summary>
    public static PipelineDefinition<TInput, TOutput> FromJson(string json) =>
        Create(Definition.Parse("{ p: " + json + " }", "pipeline")["p"] is BsonArray array
            ? array.Select(s => s as BsonDocument ?? throw new ArgumentException("Every pipeline stage must be a document.", nameof(json)))
            : throw new ArgumentException("A pipeline is a JSON array of stages.", nameof(json)));

    /// <summary>Whether the last stage writes its results ($out or $merge): such a pipeline is a write.</summary>
    internal bool Writes => Stages.Count > 0 && Stages[^1].AsBsonDocument.ElementCount > 0 &&
        Stages[^1].AsBsonDocument.GetElement(0).Name is "$out" or "$merge";

    /// <inheritdoc />
    public override string ToString() => Stages.ToJson();
}
