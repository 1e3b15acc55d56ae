using System.Collections;

namespace MongoAuth.Writes;

/// <summary>
/// <c>insertMany</c>'s documents seen as the bulk write's requests: an <see cref="InsertOneModel{TDocument}"/> is made
/// only for a request someone reads (a bulk write exception's processed and unprocessed lists), not one per document
/// of every insert.
/// </summary>
internal sealed class InsertModels<T>(IReadOnlyList<T> documents) : IReadOnlyList<WriteModel<T>>
{
    public int Count => documents.Count;

    public WriteModel<T> this[int index] => new InsertOneModel<T>(documents[index]);

    public IEnumerator<WriteModel<T>> GetEnumerator()
    {
        for (var i = 0; i < documents.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
