using System.Globalization;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// An index as listIndexes reports it (<c>{v: 2, key, name, unique?, sparse?, …}</c>). Only unique indexes do
/// anything in this store: they refuse a second document with the same key (11000), as mongod's do.
/// </summary>
internal sealed class IndexDefinition
{
    private readonly List<string[]> _paths;
    private readonly QueryFilter? _partialFilter;

    private IndexDefinition(BsonDocument spec, string name, BsonDocument key)
    {
        Spec = spec;
        Name = name;
        Key = key;
        Unique = spec.GetValue("unique", false).ToBoolean() || name == IdIndexName;
        Sparse = spec.GetValue("sparse", false).ToBoolean();
        _paths = [.. key.Names.Select(FieldPath.Split)];
        _partialFilter = spec.TryGetValue("partialFilterExpression", out var partial) && partial is BsonDocument filter
            ? QueryFilter.Parse(filter)
            : null;
    }

    public const string IdIndexName = "_id_";

    /// <summary>The document listIndexes returns for this index.</summary>
    public BsonDocument Spec { get; }

    public string Name { get; }

    public BsonDocument Key { get; }

    public bool Unique { get; }

    public bool Sparse { get; }

    /// <summary>The entries of a unique index: key → the record holding it.</summary>
    public Dictionary<BsonValue, StoredCollection.Record> Entries { get; } = new(BsonValueEquality.Instance);

    public static IndexDefinition IdIndex() => new(
        new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", IdIndexName } },
        IdIndexName, new BsonDocument("_id", 1));

    /// <summary>mongod's generated name: each key's field and value joined with underscores ("a_1_b_-1").</summary>
    public static string GenerateName(BsonDocument key) =>
        string.Join("_", key.Select(e => e.Name + "_" + (BsonOrder.IsNumber(e.Value) && e.Value.ToDouble() == Math.Floor(e.Value.ToDouble())
            ? e.Value.ToInt64().ToString(CultureInfo.InvariantCulture)
            : e.Value is BsonString s ? s.Value : MongoText.Format(e.Value))));

    /// <summary>Validates one entry of createIndexes' <c>indexes</c> and builds the index.</summary>
    public static IndexDefinition Parse(BsonValue entry)
    {
        if (entry is not BsonDocument spec || !spec.TryGetValue("key", out var keyValue) || keyValue is not BsonDocument key)
        {
            throw DataException.FailedToParse("The 'key' field is a required property of an index specification");
        }

        if (key.ElementCount == 0)
        {
            throw new DataException(67, "CannotCreateIndex", "Index keys cannot be an empty field.");
        }

        foreach (var element in key)
        {
            var valid = BsonOrder.IsNumber(element.Value)
                ? element.Value.ToDouble() != 0
                : element.Value is BsonString { Value: "text" or "2d" or "2dsphere" or "hashed" or "geoHaystack" or "wildcard" };
            if (!valid)
            {
                throw new DataException(67, "CannotCreateIndex",
                    $"Error in specification {MongoText.Format(spec)} :: caused by :: Values in the index key pattern can only be " +
                    "non-zero numbers or the strings \"text\", \"2d\", \"2dsphere\", \"hashed\" and \"wildcard\"");
            }
        }

        // The official drivers always send a name; mongod's shell generates one the same way when it is missing.
        var name = spec.TryGetValue("name", out var n) && n.IsString ? n.AsString : GenerateName(key);
        if (name.Length == 0)
        {
            throw new DataException(67, "CannotCreateIndex", "The index name cannot be empty");
        }

        var stored = new BsonDocument { { "v", 2 }, { "key", key }, { "name", name } };
        foreach (var option in spec)
        {
            if (option.Name is not ("key" or "name" or "v" or "ns" or "background"))
            {
                stored[option.Name] = option.Value;
            }
        }

        return new IndexDefinition(stored, name, key);
    }

    /// <summary>Whether two specs describe the same index apart from the name (for mongod's 85/86 conflicts).</summary>
    public bool SameOptionsAs(IndexDefinition other) =>
        Key.Equals(other.Key) && Unique == other.Unique && Sparse == other.Sparse;

    /// <summary>
    /// The keys a document has in this index: one per array element when a key field is an array (a multikey index),
    /// null for a missing field; none when a sparse or partial index leaves the document out.
    /// </summary>
    public List<BsonValue> KeysOf(BsonDocument document)
    {
        if (_partialFilter is not null && !_partialFilter.Matches(document))
        {
            return [];
        }

        if (Name == IdIndexName)
        {
            return [document.GetValue("_id", BsonNull.Value)];
        }

        var perField = new List<List<BsonValue>>(_paths.Count);
        var allMissing = true;
        foreach (var path in _paths)
        {
            var values = new List<BsonValue>();
            foreach (var value in FieldPath.Collect(document, path))
            {
                if (value is BsonArray { Count: > 0 } array)
                {
                    values.AddRange(array);
                }
                else
                {
                    values.Add(value is BsonArray ? BsonUndefined.Value : value ?? BsonNull.Value);
                }

                allMissing &= value is null;
            }

            perField.Add([.. values.Distinct(BsonValueEquality.Instance)]);
        }

        if (Sparse && allMissing)
        {
            return [];
        }

        if (perField.Count(v => v.Count > 1) > 1)
        {
            throw new DataException(171, "CannotIndexParallelArrays",
                $"cannot index parallel arrays [{string.Join("] [", Key.Names)}]");
        }

        var keys = new List<BsonValue> { new BsonArray() };
        foreach (var values in perField)
        {
            keys = [.. keys.SelectMany(k => values.Select(v => (BsonValue)new BsonArray(k.AsBsonArray) { v }))];
        }

        return keys;
    }

    /// <summary>mongod's duplicate key error: message, keyPattern and keyValue.</summary>
    public DataException DuplicateKey(string ns, BsonValue key)
    {
        var keyValue = new BsonDocument();
        var values = Name == IdIndexName ? [key] : key.AsBsonArray;
        var i = 0;
        foreach (var field in Key.Names)
        {
            keyValue[field] = values[i++];
        }

        return new DataException(11000, "DuplicateKey",
            $"E11000 duplicate key error collection: {ns} index: {Name} dup key: {MongoText.Format(keyValue)}",
            new BsonDocument { { "keyPattern", Key }, { "keyValue", keyValue } });
    }
}
