using MongoDB.Bson;

namespace MongoAuth.TestServer.Data;

/// <summary>
/// One collection: documents in insertion order, its indexes and its catalog entry. Callers hold the store's lock.
/// Stored documents are never changed in place (an update swaps in a new document), so a reply may hold them
/// after the lock is released.
/// </summary>
internal sealed class StoredCollection
{
    private readonly List<Record> _records = [];

    public StoredCollection(string database, string name, BsonDocument? options = null)
    {
        Database = database;
        Name = name;
        Options = options ?? [];
        Indexes.Add(IndexDefinition.IdIndex());
    }

    public string Database { get; }

    public string Name { get; }

    public string Namespace => $"{Database}.{Name}";

    public Guid Uuid { get; } = Guid.NewGuid();

    /// <summary>The options given to <c>create</c> (listCollections reports them).</summary>
    public BsonDocument Options { get; }

    /// <summary>The indexes, <c>_id_</c> first.</summary>
    public List<IndexDefinition> Indexes { get; } = [];

    public int Count => _records.Count;

    /// <summary>A rough data size for listDatabases' sizeOnDisk.</summary>
    public long ApproximateSize => _records.Sum(r => (long)r.Document.ToBson().Length);

    public IEnumerable<Record> Records => _records;

    public IEnumerable<BsonDocument> Documents => _records.Select(r => r.Document);

    /// <summary>The record with this _id, if any (the _id index is a hash lookup).</summary>
    public Record? FindById(BsonValue id) => Indexes[0].Entries.GetValueOrDefault(id);

    /// <summary>Adds a document (its _id already set); a unique key clash throws 11000 and adds nothing.</summary>
    public void Insert(BsonDocument document)
    {
        var record = new Record(document);
        var keys = CheckUnique(document, except: null);
        _records.Add(record);
        AddKeys(record, keys);
    }

    /// <summary>Replaces a record's document; a unique key clash with another record throws 11000.</summary>
    public void Replace(Record record, BsonDocument document)
    {
        var keys = CheckUnique(document, except: record);
        RemoveKeys(record);
        record.Document = document;
        AddKeys(record, keys);
    }

    public void Delete(Record record)
    {
        RemoveKeys(record);
        _records.Remove(record);
    }

    /// <summary>Adds an index over the documents already stored (a unique one: 11000 when they already clash).</summary>
    public void AddIndex(IndexDefinition index)
    {
        var keysByRecord = new List<List<BsonValue>>(_records.Count);
        var seen = new Dictionary<BsonValue, Record>(BsonValueEquality.Instance);
        foreach (var record in _records)
        {
            var keys = index.Unique ? index.KeysOf(record.Document) : [];
            foreach (var key in keys)
            {
                if (seen.TryGetValue(key, out var other) && !ReferenceEquals(other, record))
                {
                    throw index.DuplicateKey(Namespace, key);
                }

                seen[key] = record;
            }

            keysByRecord.Add(keys);
        }

        for (var i = 0; i < _records.Count; i++)
        {
            _records[i].Keys.Add(keysByRecord[i]);
        }

        foreach (var (key, record) in seen)
        {
            index.Entries[key] = record;
        }

        Indexes.Add(index);
    }

    private List<List<BsonValue>> CheckUnique(BsonDocument document, Record? except)
    {
        var all = new List<List<BsonValue>>(Indexes.Count);
        foreach (var index in Indexes)
        {
            var keys = index.Unique ? index.KeysOf(document) : [];
            foreach (var key in keys)
            {
                if (index.Entries.TryGetValue(key, out var other) && !ReferenceEquals(other, except))
                {
                    throw index.DuplicateKey(Namespace, key);
                }
            }

            all.Add(keys);
        }

        return all;
    }

    private void AddKeys(Record record, List<List<BsonValue>> keys)
    {
        record.Keys = keys;
        for (var i = 0; i < Indexes.Count; i++)
        {
            foreach (var key in keys[i])
            {
                Indexes[i].Entries[key] = record;
            }
        }
    }

    private void RemoveKeys(Record record)
    {
        for (var i = 0; i < Indexes.Count && i < record.Keys.Count; i++)
        {
            foreach (var key in record.Keys[i])
            {
                Indexes[i].Entries.Remove(key);
            }
        }
    }

    /// <summary>Rebuilds index entries after an index was dropped (positions shift).</summary>
    public void RemoveIndex(IndexDefinition index)
    {
        var position = Indexes.IndexOf(index);
        Indexes.RemoveAt(position);
        foreach (var record in _records)
        {
            if (position < record.Keys.Count)
            {
                record.Keys.RemoveAt(position);
            }
        }
    }

    /// <summary>A stored document and the unique-index keys it holds.</summary>
    internal sealed class Record(BsonDocument document)
    {
        public BsonDocument Document { get; set; } = document;

        public List<List<BsonValue>> Keys { get; set; } = [];
    }
}
