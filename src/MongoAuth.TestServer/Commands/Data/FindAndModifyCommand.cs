using MongoAuth.TestServer.Data;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands.Data;

/// <summary>
/// findAndModify: the first document the query matches (in sort order) is removed, updated or (with upsert)
/// inserted; the reply carries <c>lastErrorObject {n, updatedExisting, upserted}</c> and <c>value</c> (the document
/// before, or after with <c>new: true</c>, projected by <c>fields</c>).
/// </summary>
internal static class FindAndModifyCommand
{
    public static BsonDocument Run(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Write);
        var collectionName = context.CollectionName();
        var queryDocument = context.Document("query") ?? [];
        var filter = QueryFilter.Parse(queryDocument);
        var sort = SortOrder.Parse(context.Document("sort"));
        var projection = Projection.Parse(context.Document("fields"), find: true);
        var remove = context.Bool("remove", false);
        var returnNew = context.Bool("new", false);
        var upsert = context.Bool("upsert", false);
        var hasUpdate = context.Command.TryGetValue("update", out var update) && !update.IsBsonNull;
        if (remove && hasUpdate)
        {
            throw DataException.FailedToParse("Cannot specify both an update and remove=true");
        }

        if (!remove && !hasUpdate)
        {
            throw DataException.FailedToParse("Either an update or remove=true must be specified");
        }

        if (remove && returnNew)
        {
            throw DataException.FailedToParse("Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
        }

        if (remove && upsert)
        {
            throw DataException.FailedToParse("Cannot specify both upsert=true and remove=true");
        }

        if (context.Command.Contains("arrayFilters"))
        {
            throw DataException.NotSupported("arrayFilters");
        }

        context.RefuseCollation();
        var spec = hasUpdate ? UpdateSpec.Parse(update!) : null;
        lock (context.Store.Sync)
        {
            var collection = context.Store.Find(context.Database, collectionName);
            var candidates = collection is null ? [] : ReadCommands.Matching(collection, queryDocument, filter).ToList();
            if (sort is not null && candidates.Count > 1)
            {
                var byDocument = new Dictionary<object, StoredCollection.Record>(ReferenceEqualityComparer.Instance);
                candidates.ForEach(r => byDocument[r.Document] = r);
                candidates = sort.Sort(candidates.Select(r => r.Document)).ConvertAll(d => byDocument[d]);
            }

            var target = candidates.FirstOrDefault();
            var lastError = new BsonDocument();
            BsonValue value = BsonNull.Value;
            if (remove)
            {
                if (target is not null)
                {
                    collection!.Delete(target);
                    value = target.Document;
                }

                lastError["n"] = target is null ? 0 : 1;
            }
            else if (target is not null)
            {
                var before = target.Document;
                WriteCommands.ApplyUpdate(collection!, target, spec!);
                value = returnNew ? target.Document : before;
                lastError["n"] = 1;
                lastError["updatedExisting"] = true;
            }
            else if (upsert)
            {
                var inserted = WriteCommands.Upsert(queryDocument, spec!);
                context.Store.GetOrCreate(context.Database, collectionName, out _).Insert(inserted);
                value = returnNew ? inserted : BsonNull.Value;
                lastError["n"] = 1;
                lastError["updatedExisting"] = false;
                lastError["upserted"] = inserted["_id"];
            }
            else
            {
                lastError["n"] = 0;
                lastError["updatedExisting"] = false;
            }

            if (projection is not null && value is BsonDocument document)
            {
                value = projection.Apply(document);
            }

            return new BsonDocument { { "lastErrorObject", lastError }, { "value", value } };
        }
    }
}
