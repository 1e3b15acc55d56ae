using MongoAuth.TestServer.Data;
using MongoAuth.TestServer.Data.Aggregation;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands.Data;

/// <summary>find, getMore, killCursors, count, distinct and aggregate.</summary>
internal static class ReadCommands
{
    public static BsonDocument Find(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Find);
        var collectionName = context.CollectionName();
        var filterDocument = context.Document("filter");
        var filter = QueryFilter.Parse(filterDocument);
        var sort = SortOrder.Parse(context.Document("sort"));
        var projection = Projection.Parse(context.Document("projection"), find: true);
        var skip = context.NonNegative("skip") ?? 0;
        var limit = context.NonNegative("limit") ?? 0;
        var batchSize = context.NonNegative("batchSize");
        var singleBatch = context.Bool("singleBatch", false);
        context.RefuseCollation();
        if (context.Command.Contains("tailable") && context.Bool("tailable", false))
        {
            throw DataException.NotSupported("A tailable cursor");
        }

        lock (context.Store.Sync)
        {
            var collection = context.Store.Find(context.Database, collectionName);
            IEnumerable<BsonDocument> documents = collection is null ? [] : Matching(collection, filterDocument, filter)
                .Select(r => r.Document);
            if (sort is not null)
            {
                documents = sort.Sort(documents);
            }

            documents = documents.Skip((int)Math.Min(skip, int.MaxValue));
            if (limit > 0)
            {
                documents = documents.Take((int)Math.Min(limit, int.MaxValue));
            }

            if (projection is not null)
            {
                documents = documents.Select(projection.Apply);
            }

            return CursorReplies.First(context.Store, context.Database, collectionName, [.. documents], batchSize, singleBatch);
        }
    }

    /// <summary>
    /// The records a filter matches, in insertion order. A filter that is exactly <c>{_id: value}</c> is answered
    /// from the _id index, as mongod's IDHACK plan does.
    /// </summary>
    public static IEnumerable<StoredCollection.Record> Matching(StoredCollection collection, BsonDocument? filterDocument,
        QueryFilter filter)
    {
        if (filterDocument is { ElementCount: 1 } && filterDocument.GetElement(0) is { Name: "_id" } id &&
            id.Value is not (BsonDocument or BsonArray or BsonRegularExpression or BsonNull))
        {
            return collection.FindById(id.Value) is { } record && filter.Matches(record.Document) ? [record] : [];
        }

        return collection.Records.Where(r => filter.Matches(r.Document));
    }

    public static BsonDocument GetMore(DataCommandContext context)
    {
        var idValue = context.Command[0];
        if (!idValue.IsInt64 && !idValue.IsInt32)
        {
            throw DataException.TypeMismatch(
                $"BSON field 'getMore.getMore' is the wrong type '{MongoText.TypeName(idValue)}', expected type 'long'");
        }

        var id = idValue.ToInt64();
        var collection = context.Command.TryGetValue("collection", out var c) && c.IsString
            ? c.AsString
            : throw new DataException(40414, "Location40414", "BSON field 'getMore.collection' is missing but a required field");
        var batchSize = context.NonNegative("batchSize") ?? 0;
        lock (context.Store.Sync)
        {
            var cursor = context.Store.FindCursor(id) ?? throw new DataException(43, "CursorNotFound", $"cursor id {id} not found");
            var ns = $"{context.Database}.{collection}";
            if (cursor.Namespace != ns)
            {
                throw new DataException(13, "Unauthorized",
                    $"Requested getMore on namespace '{ns}', but cursor belongs to a different namespace {cursor.Namespace}");
            }

            context.Demand(DataPrivilege.Find);
            var batch = cursor.NextBatch((int)Math.Min(batchSize, int.MaxValue));
            if (cursor.IsExhausted)
            {
                context.Store.CloseCursor(id);
                id = 0;
            }

            return CursorReplies.Reply("nextBatch", batch, id, cursor.Namespace);
        }
    }

    public static BsonDocument KillCursors(DataCommandContext context)
    {
        var collection = context.CollectionName();
        var ids = context.Array("cursors");
        BsonArray killed = [], notFound = [];
        lock (context.Store.Sync)
        {
            foreach (var id in ids)
            {
                var cursor = context.Store.FindCursor(id.ToInt64());
                if (cursor is not null && cursor.Namespace == $"{context.Database}.{collection}" &&
                    context.Store.CloseCursor(cursor.Id))
                {
                    killed.Add(new BsonInt64(cursor.Id));
                }
                else
                {
                    notFound.Add(new BsonInt64(id.ToInt64()));
                }
            }
        }

        return new BsonDocument
        {
            { "cursorsKilled", killed },
            { "cursorsNotFound", notFound },
            { "cursorsAlive", new BsonArray() },
            { "cursorsUnknown", new BsonArray() },
        };
    }

    public static BsonDocument Count(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Find);
        var collectionName = context.CollectionName();
        var filterDocument = context.Document("query");
        var filter = QueryFilter.Parse(filterDocument);
        var skip = context.NonNegative("skip") ?? 0;
        // count takes a negative limit as its absolute value (a legacy of the shell's count).
        var limit = context.Command.TryGetValue("limit", out var l) && BsonOrder.IsNumber(l) ? Math.Abs(l.ToInt64()) : 0;
        context.RefuseCollation();
        lock (context.Store.Sync)
        {
            var collection = context.Store.Find(context.Database, collectionName);
            long n = collection is null ? 0 : filterDocument is null ? collection.Count : Matching(collection, filterDocument, filter).Count();
            n = Math.Max(0, n - skip);
            if (limit > 0)
            {
                n = Math.Min(n, limit);
            }

            return new BsonDocument("n", n > int.MaxValue ? new BsonInt64(n) : new BsonInt32((int)n));
        }
    }

    public static BsonDocument Distinct(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Find);
        var collectionName = context.CollectionName();
        var key = context.Command.TryGetValue("key", out var k) && k.IsString
            ? k.AsString
            : throw new DataException(40414, "Location40414", "BSON field 'distinct.key' is missing but a required field");
        var filterDocument = context.Document("query");
        var filter = QueryFilter.Parse(filterDocument);
        context.RefuseCollation();
        var path = FieldPath.Split(key);
        lock (context.Store.Sync)
        {
            var values = new BsonArray();
            var seen = new HashSet<BsonValue>(BsonValueEquality.Instance);
            if (context.Store.Find(context.Database, collectionName) is { } collection)
            {
                foreach (var record in Matching(collection, filterDocument, filter))
                {
                    foreach (var value in FieldPath.Collect(record.Document, path))
                    {
                        // Arrays contribute their elements; a missing field contributes nothing.
                        foreach (var item in value is BsonArray array ? array : value is null ? [] : [value])
                        {
                            if (seen.Add(item))
                            {
                                values.Add(item);
                            }
                        }
                    }
                }
            }

            return new BsonDocument("values", values);
        }
    }

    public static BsonDocument Aggregate(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Find);
        if (context.Command[0].IsNumeric)
        {
            throw DataException.NotSupported("A database-level aggregate ({aggregate: 1})");
        }

        var collectionName = context.CollectionName();
        if (context.Bool("explain", false))
        {
            throw DataException.NotSupported("explain");
        }

        var cursorOptions = context.Document("cursor") ?? throw DataException.FailedToParse(
            "The 'cursor' option is required, except for aggregate with the explain argument");
        var batchSize = context.NonNegative("batchSize", cursorOptions);
        var pipeline = Pipeline.Parse(context.Array("pipeline"));
        context.RefuseCollation();
        lock (context.Store.Sync)
        {
            var collection = context.Store.Find(context.Database, collectionName);
            var results = pipeline.Run(collection is null ? [] : [.. collection.Documents]);
            return CursorReplies.First(context.Store, context.Database, collectionName, results, batchSize);
        }
    }
}
