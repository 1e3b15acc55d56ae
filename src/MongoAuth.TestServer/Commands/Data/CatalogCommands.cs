using MongoAuth.TestServer.Data;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands.Data;

/// <summary>create, drop, dropDatabase, listCollections, listDatabases, createIndexes, listIndexes, dropIndexes.</summary>
internal static class CatalogCommands
{
    public static BsonDocument Create(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Ddl);
        var name = context.CollectionName();
        foreach (var option in new[] { "viewOn", "pipeline", "timeseries", "capped", "clusteredIndex", "changeStreamPreAndPostImages", "encryptedFields" })
        {
            if (context.Command.Contains(option) && !(option == "capped" && !context.Bool("capped", false)))
            {
                throw DataException.NotSupported($"The create option '{option}'");
            }
        }

        var options = new BsonDocument(context.Command.Skip(1).Where(e => e.Name is "validator" or "validationLevel"
            or "validationAction" or "collation" or "storageEngine" or "indexOptionDefaults"));
        lock (context.Store.Sync)
        {
            if (context.Store.Find(context.Database, name) is not null)
            {
                throw new DataException(48, "NamespaceExists", $"Collection {context.Database}.{name} already exists.");
            }

            context.Store.Create(context.Database, name, options);
        }

        return [];
    }

    /// <summary>Since MongoDB 7.0 dropping a collection that does not exist succeeds (earlier: 26 "ns not found").</summary>
    public static BsonDocument Drop(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Ddl);
        var name = context.CollectionName();
        lock (context.Store.Sync)
        {
            if (context.Store.Find(context.Database, name) is not { } collection)
            {
                return [];
            }

            var indexes = collection.Indexes.Count;
            context.Store.Drop(context.Database, name);
            return new BsonDocument { { "nIndexesWas", indexes }, { "ns", collection.Namespace } };
        }
    }

    public static BsonDocument DropDatabase(DataCommandContext context)
    {
        context.Demand(DataPrivilege.DropDatabase);
        lock (context.Store.Sync)
        {
            context.Store.DropDatabase(context.Database);
        }

        return new BsonDocument("dropped", context.Database);
    }

    public static BsonDocument ListCollections(DataCommandContext context)
    {
        context.Demand(DataPrivilege.List);
        var filter = QueryFilter.Parse(context.Document("filter"));
        var nameOnly = context.Bool("nameOnly", false);
        var batchSize = context.Document("cursor") is { } cursor ? context.NonNegative("batchSize", cursor) : null;
        lock (context.Store.Sync)
        {
            var entries = context.Store.Collections(context.Database)
                .Select(c => nameOnly
                    ? new BsonDocument { { "name", c.Name }, { "type", "collection" } }
                    : new BsonDocument
                    {
                        { "name", c.Name },
                        { "type", "collection" },
                        { "options", c.Options },
                        { "info", new BsonDocument { { "readOnly", false }, { "uuid", new BsonBinaryData(c.Uuid, GuidRepresentation.Standard) } } },
                        { "idIndex", c.Indexes[0].Spec },
                    })
                .Where(filter.Matches)
                .ToList();
            return CursorReplies.First(context.Store, context.Database, "$cmd.listCollections", entries, batchSize);
        }
    }

    /// <summary>
    /// listDatabases (on admin only). Users without a role on every database see only the databases they hold a
    /// role on, as mongod answers users who lack the listDatabases action.
    /// </summary>
    public static BsonDocument ListDatabases(DataCommandContext context)
    {
        if (context.Database != "admin")
        {
            throw new DataException(13, "Unauthorized", "listDatabases may only be run against the admin database.");
        }

        var nameOnly = context.Bool("nameOnly", false);
        var filter = QueryFilter.Parse(context.Document("filter"));
        var roles = context.Roles.ToList();
        var seesAll = !context.AuthenticationRequired || roles.Exists(r => DataAuthorization.GrantsEverywhere(r, DataPrivilege.List));
        lock (context.Store.Sync)
        {
            var databases = new BsonArray();
            long total = 0;
            foreach (var name in context.Store.DatabaseNames)
            {
                if (!seesAll && !roles.Exists(r => r.Db == name))
                {
                    continue;
                }

                var size = context.Store.Collections(name).Sum(c => c.ApproximateSize);
                var entry = nameOnly
                    ? new BsonDocument("name", name)
                    : new BsonDocument { { "name", name }, { "sizeOnDisk", new BsonInt64(size) }, { "empty", size == 0 } };
                if (filter.Matches(entry))
                {
                    databases.Add(entry);
                    total += size;
                }
            }

            var reply = new BsonDocument("databases", databases);
            if (!nameOnly)
            {
                reply["totalSize"] = new BsonInt64(total);
                reply["totalSizeMb"] = new BsonInt64(total / (1024 * 1024));
            }

            return reply;
        }
    }

    public static BsonDocument CreateIndexes(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Ddl);
        var name = context.CollectionName();
        var specs = context.Array("indexes");
        if (specs.Count == 0)
        {
            throw DataException.BadValue("Must specify at least one index to create");
        }

        var indexes = specs.Select(IndexDefinition.Parse).ToList();
        lock (context.Store.Sync)
        {
            var collection = context.Store.GetOrCreate(context.Database, name, out var created);
            var before = collection.Indexes.Count;
            foreach (var index in indexes)
            {
                var sameName = collection.Indexes.Find(i => i.Name == index.Name);
                if (sameName is not null)
                {
                    if (!sameName.SameOptionsAs(index))
                    {
                        throw new DataException(86, "IndexKeySpecsConflict",
                            $"An existing index has the same name as the requested index. Requested index: {MongoText.Format(index.Spec)}, " +
                            $"existing index: {MongoText.Format(sameName.Spec)}");
                    }

                    continue;
                }

                if (collection.Indexes.Find(i => i.SameOptionsAs(index)) is { } sameKey)
                {
                    throw new DataException(85, "IndexOptionsConflict",
                        $"Index already exists with a different name: {sameKey.Name}");
                }

                collection.AddIndex(index);
            }

            var reply = new BsonDocument
            {
                { "numIndexesBefore", before },
                { "numIndexesAfter", collection.Indexes.Count },
            };
            if (collection.Indexes.Count == before)
            {
                reply["note"] = "all indexes already exist";
            }
            else
            {
                reply["createdCollectionAutomatically"] = created;
            }

            return reply;
        }
    }

    public static BsonDocument ListIndexes(DataCommandContext context)
    {
        context.Demand(DataPrivilege.List);
        var name = context.CollectionName();
        var batchSize = context.Document("cursor") is { } cursor ? context.NonNegative("batchSize", cursor) : null;
        lock (context.Store.Sync)
        {
            var collection = context.Store.Find(context.Database, name) ??
                throw DataException.NamespaceNotFound($"ns does not exist: {context.Database}.{name}");
            return CursorReplies.First(context.Store, context.Database, $"$cmd.listIndexes.{name}",
                collection.Indexes.ConvertAll(i => i.Spec), batchSize);
        }
    }

    public static BsonDocument DropIndexes(DataCommandContext context)
    {
        context.Demand(DataPrivilege.Ddl);
        var name = context.CollectionName();
        var target = context.Command.TryGetValue("index", out var index) ? index
            : throw new DataException(40414, "Location40414", "BSON field 'dropIndexes.index' is missing but a required field");
        lock (context.Store.Sync)
        {
            var collection = context.Store.Find(context.Database, name) ??
                throw DataException.NamespaceNotFound($"ns not found {context.Database}.{name}");
            var was = collection.Indexes.Count;
            var reply = new BsonDocument("nIndexesWas", was);
            List<IndexDefinition> drop;
            switch (target)
            {
                case BsonString { Value: "*" }:
                    drop = collection.Indexes.Skip(1).ToList();
                    reply["msg"] = "non-_id indexes dropped for collection";
                    break;
                case BsonString s:
                    drop = [Named(collection, s.Value)];
                    break;
                case BsonArray names:
                    drop = [.. names.Select(n => Named(collection, n.AsString))];
                    break;
                case BsonDocument key:
                    drop = [collection.Indexes.Find(i => i.Key.Equals(key)) ?? throw new DataException(27, "IndexNotFound",
                        $"can't find index with key: {MongoText.Format(key)}")];
                    break;
                default:
                    throw DataException.TypeMismatch("BSON field 'dropIndexes.index' is the wrong type, expected type 'string, array or object'");
            }

            if (drop.Exists(i => i.Name == IndexDefinition.IdIndexName))
            {
                throw new DataException(72, "InvalidOptions", "cannot drop _id index");
            }

            drop.ForEach(collection.RemoveIndex);
            return reply;
        }
    }

    private static IndexDefinition Named(StoredCollection collection, string name) =>
        collection.Indexes.Find(i => i.Name == name) ??
        throw new DataException(27, "IndexNotFound", $"index not found with name [{name}]");
}
