using MongoDB.Bson;

namespace MongoAuth.Writes;

/// <summary>The results of a bulk write's batches added up, with each reply's indexes mapped back to the requests.</summary>
internal sealed class Tally
{
    private readonly List<BulkWriteUpsert> _upserts = [];
    private long _inserted;
    private long _matched;
    private long _modified;
    private long _deleted;

    public List<BulkWriteError> Errors { get; } = [];

    public WriteConcernError? WriteConcernError { get; private set; }

    /// <summary>The request index of the first error of an ordered write (where it stopped).</summary>
    public int? StoppedAt => Errors.Count == 0 ? null : Errors.Min(e => e.Index);

    public void Add(WriteRun run, int start, int count, BsonDocument reply)
    {
        var n = reply.GetValue("n", 0).ToInt64();
        switch (run.Kind)
        {
            case WriteKind.Insert:
                _inserted += n;
                break;
            case WriteKind.Delete:
                _deleted += n;
                break;
            default:
                var upserted = reply.GetValue("upserted", new BsonArray()).AsBsonArray;
                foreach (var entry in upserted.Select(u => u.AsBsonDocument))
                {
                    _upserts.Add(new BulkWriteUpsert(RequestIndex(run, start, count, entry["index"].ToInt32()), entry["_id"]));
                }

                _matched += n - upserted.Count;
                _modified += reply.GetValue("nModified", 0).ToInt64();
                break;
        }

        if (reply.TryGetValue("writeErrors", out var writeErrors))
        {
            foreach (var error in writeErrors.AsBsonArray.Select(e => e.AsBsonDocument))
            {
                var index = RequestIndex(run, start, count, error.GetValue("index", 0).ToInt32());
                Errors.Add(new BulkWriteError(index, error.GetValue("code", 0).ToInt32(), error.GetValue("errmsg", "").ToString()!, Details(error)));
            }
        }

        if (reply.TryGetValue("writeConcernError", out var concern) && concern is BsonDocument wce)
        {
            WriteConcernError = new WriteConcernError(wce.GetValue("code", 0).ToInt32(),
                wce.TryGetValue("codeName", out var name) && name.IsString ? name.AsString : null,
                wce.GetValue("errmsg", "").ToString()!, wce.TryGetValue("errInfo", out var info) && info is BsonDocument d ? d : null);
        }
    }

    public BulkWriteResult<T> Result<T>(bool acknowledged, IReadOnlyList<WriteModel<T>> processed, int requestCount) =>
        new(acknowledged, requestCount, _inserted, _matched, _modified, _deleted, [.. _upserts.OrderBy(u => u.Index)], processed);

    /// <summary>The application's index of the batch's statement at <paramref name="position"/> (as the server gave it when outside the batch).</summary>
    private static int RequestIndex(WriteRun run, int start, int count, int position) =>
        position >= 0 && position < count ? run.RequestIndex(start + position) : position;

    /// <summary>errInfo, or for a duplicate key the keyPattern and keyValue mongod adds.</summary>
    private static BsonDocument? Details(BsonDocument error)
    {
        if (error.TryGetValue("errInfo", out var info) && info is BsonDocument document)
        {
            return document;
        }

        var details = new BsonDocument();
        foreach (var name in new[] { "keyPattern", "keyValue" })
        {
            if (error.TryGetValue(name, out var value))
            {
                details[name] = value;
            }
        }

        return details.ElementCount > 0 ? details : null;
    }
}
