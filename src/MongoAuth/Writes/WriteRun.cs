using MongoAuth.Collections;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Writes;

/// <summary>
/// Consecutive statements of one kind, sent as one or more commands of that kind (a batch is as many as fit one
/// message): the bulk write's requests of a kind, or an <c>insertMany</c>'s documents, read straight from the
/// application's list without a statement object per document.
/// </summary>
internal abstract class WriteRun
{
    /// <summary>Which command carries the run.</summary>
    public abstract WriteKind Kind { get; }

    /// <summary>How many statements the run has.</summary>
    public abstract int Count { get; }

    /// <summary>The application's index of the run's statement at <paramref name="position"/>.</summary>
    public abstract int RequestIndex(int position);

    /// <summary>Whether every statement from <paramref name="start"/> on changes at most one document, so a batch starting there may be retried.</summary>
    public abstract bool AllSingleFrom(int start);

    /// <summary>Writes the statement at <paramref name="position"/> as one top-level BSON document.</summary>
    public abstract void Write(int position, BsonSerializationContext context);

    /// <summary>
    /// The runs of <paramref name="statements"/>: in request order when ordered; grouped by kind (inserts, updates,
    /// deletes) when unordered, which the crud spec allows and which needs fewer round trips.
    /// </summary>
    public static IEnumerable<WriteRun> Of(IReadOnlyList<WriteStatement> statements, bool ordered)
    {
        if (!ordered)
        {
            foreach (var group in statements.GroupBy(s => s.Kind).OrderBy(g => g.Key))
            {
                yield return new StatementRun(group.ToList());
            }

            yield break;
        }

        var run = new List<WriteStatement>();
        foreach (var statement in statements)
        {
            if (run.Count > 0 && run[0].Kind != statement.Kind)
            {
                yield return new StatementRun(run);
                run = [];
            }

            run.Add(statement);
        }

        if (run.Count > 0)
        {
            yield return new StatementRun(run);
        }
    }
}

/// <summary>A run of statement objects (bulk writes and single-document writes).</summary>
internal sealed class StatementRun(List<WriteStatement> statements) : WriteRun
{
    public override WriteKind Kind => statements[0].Kind;

    public override int Count => statements.Count;

    public override int RequestIndex(int position) => statements[position].Index;

    public override bool AllSingleFrom(int start)
    {
        for (var i = start; i < statements.Count; i++)
        {
            if (!statements[i].IsSingleStatement)
            {
                return false;
            }
        }

        return true;
    }

    public override void Write(int position, BsonSerializationContext context) => statements[position].Write(context);
}

/// <summary>
/// <c>insertMany</c>'s documents as one run of inserts, position = request index: each is serialised into the
/// message when its batch is written, its empty <c>_id</c> assigned just before (the application's object gets it).
/// </summary>
internal sealed class InsertRun<T>(IReadOnlyList<T> documents, IBsonSerializer<T> serializer) : WriteRun
{
    public override WriteKind Kind => WriteKind.Insert;

    public override int Count => documents.Count;

    public override int RequestIndex(int position) => position;

    public override bool AllSingleFrom(int start) => true;

    public override void Write(int position, BsonSerializationContext context) => DocumentCodec.WriteInsert(serializer, documents[position], context);
}
