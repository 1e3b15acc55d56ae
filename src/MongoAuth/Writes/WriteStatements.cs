using MongoAuth.Collections;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

#pragma warning disable CA2000 // RawBsonDocument wraps a managed byte array (nothing to release); a replacement statement holds it until its batch is sent.
namespace MongoAuth.Writes;

/// <summary>Turns the application's write models into wire statements (crud spec: the insert, update and delete commands).</summary>
internal static class WriteStatements
{
    public static WriteStatement From<T>(WriteModel<T> model, int index, IBsonSerializer<T> serializer)
    {
        switch (model)
        {
            case InsertOneModel<T> insert:
                return new InsertStatement<T>(index, insert.Document, serializer);
            case UpdateOneModel<T> update:
                return Update(index, update.Filter.Document, update.Update.Value, multi: false, update.IsUpsert, update.ArrayFilters, null, null);
            case UpdateManyModel<T> update:
                return Update(index, update.Filter.Document, update.Update.Value, multi: true, update.IsUpsert, update.ArrayFilters, null, null);
            case ReplaceOneModel<T> replace:
                return Replace(index, replace.Filter.Document, DocumentCodec.Write(serializer, replace.Replacement), replace.IsUpsert, null, null);
            case DeleteOneModel<T> delete:
                return Delete(index, delete.Filter.Document, single: true, null, null);
            case DeleteManyModel<T> delete:
                return Delete(index, delete.Filter.Document, single: false, null, null);
            default:
                throw new ArgumentException($"Unknown write model {model?.GetType().Name ?? "null"}.", nameof(model));
        }
    }

    public static WriteStatement Update(int index, BsonDocument filter, BsonValue update, bool multi, bool upsert,
        IEnumerable<BsonDocument>? arrayFilters, BsonDocument? collation, BsonValue? hint)
    {
        var statement = new BsonDocument { { "q", filter }, { "u", update } };
        if (upsert)
        {
            statement["upsert"] = true;
        }

        if (multi)
        {
            statement["multi"] = true;
        }

        if (arrayFilters is not null)
        {
            statement["arrayFilters"] = new BsonArray(arrayFilters);
        }

        if (collation is not null)
        {
            statement["collation"] = collation;
        }

        if (hint is not null)
        {
            statement["hint"] = hint;
        }

        return new StatementDocument(WriteKind.Update, index, statement, !multi);
    }

    /// <summary>A replacement: an update statement whose <c>u</c> is a whole document, which must not start with an operator.</summary>
    public static WriteStatement Replace(int index, BsonDocument filter, BsonDocument replacement, bool upsert, BsonDocument? collation, BsonValue? hint)
    {
        if (replacement.ElementCount > 0 && replacement.GetElement(0).Name.StartsWith('$'))
        {
            throw new ArgumentException("A replacement document must not contain update operators; use UpdateOne for $set and the like.", nameof(replacement));
        }

        return Update(index, filter, replacement, multi: false, upsert, null, collation, hint);
    }

    public static WriteStatement Delete(int index, BsonDocument filter, bool single, BsonDocument? collation, BsonValue? hint)
    {
        var statement = new BsonDocument { { "q", filter }, { "limit", single ? 1 : 0 } };
        if (collation is not null)
        {
            statement["collation"] = collation;
        }

        if (hint is not null)
        {
            statement["hint"] = hint;
        }

        return new StatementDocument(WriteKind.Delete, index, statement, single);
    }
}
