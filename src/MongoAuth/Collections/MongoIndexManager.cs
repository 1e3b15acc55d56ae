using System.Globalization;
using MongoAuth.Cursors;
using MongoAuth.Diagnostics;
using MongoAuth.Sessions;
using MongoDB.Bson;

namespace MongoAuth.Collections;

/// <summary>A collection's indexes through <c>createIndexes</c>, <c>listIndexes</c> and <c>dropIndexes</c> (index-management spec).</summary>
internal sealed class MongoIndexManager<TDocument>(MongoCollection<TDocument> collection, CommandExecutor executor) : IMongoIndexManager<TDocument>
{
    private const int NamespaceNotFound = 26;

    public async Task<string> CreateOneAsync(CreateIndexModel<TDocument> model, CancellationToken cancellationToken = default) =>
        (await CreateAsync([model], runAsync: true, cancellationToken).ConfigureAwait(false))[0];

    public string CreateOne(CreateIndexModel<TDocument> model, CancellationToken cancellationToken = default) =>
        CreateAsync([model], runAsync: false, cancellationToken).GetAwaiter().GetResult()[0];

    public async Task<IEnumerable<string>> CreateManyAsync(IEnumerable<CreateIndexModel<TDocument>> models, CancellationToken cancellationToken = default) =>
        await CreateAsync(models, runAsync: true, cancellationToken).ConfigureAwait(false);

    public IEnumerable<string> CreateMany(IEnumerable<CreateIndexModel<TDocument>> models, CancellationToken cancellationToken = default) =>
        CreateAsync(models, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task<IAsyncCursor<BsonDocument>> ListAsync(CancellationToken cancellationToken = default) => ListAsync(runAsync: true, cancellationToken);

    public IAsyncCursor<BsonDocument> List(CancellationToken cancellationToken = default) => ListAsync(runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task DropOneAsync(string name, CancellationToken cancellationToken = default) => DropAsync(name, runAsync: true, cancellationToken);

    public void DropOne(string name, CancellationToken cancellationToken = default) => DropAsync(name, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task DropAllAsync(CancellationToken cancellationToken = default) => DropAsync("*", runAsync: true, cancellationToken);

    public void DropAll(CancellationToken cancellationToken = default) => DropAsync("*", runAsync: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>mongod's default index name: each key and its direction or type joined by underscores (<c>name_1_age_-1</c>).</summary>
    internal static string DefaultName(BsonDocument keys) =>
        string.Join("_", keys.Select(k => k.Name + "_" + (k.Value.IsNumeric ? Convert.ToString(k.Value.ToInt32(), CultureInfo.InvariantCulture) : k.Value.ToString())));

    private async Task<List<string>> CreateAsync(IEnumerable<CreateIndexModel<TDocument>> models, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var indexes = new BsonArray();
        var names = new List<string>();
        foreach (var model in models)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            var keys = model.Keys.Document;
            var name = model.Options?.Name ?? DefaultName(keys);
            var index = new BsonDocument { { "key", keys }, { "name", name } };
            if (model.Options is { } options)
            {
                AddIf(index, "unique", options.Unique);
                AddIf(index, "sparse", options.Sparse);
                AddIf(index, "expireAfterSeconds", options.ExpireAfter is { } ttl ? (long)ttl.TotalSeconds : null);
                AddIf(index, "partialFilterExpression", options.PartialFilterExpression);
                AddIf(index, "collation", options.Collation);
            }

            indexes.Add(index);
            names.Add(name);
        }

        if (names.Count == 0)
        {
            throw new ArgumentException("At least one index is needed.", nameof(models));
        }

        var command = new BsonDocument { { "createIndexes", collection.CollectionName }, { "indexes", indexes } };
        await WriteAsync(command, runAsync, cancellationToken).ConfigureAwait(false);
        return names;
    }

    private async Task<IAsyncCursor<BsonDocument>> ListAsync(bool runAsync, CancellationToken cancellationToken)
    {
        try
        {
            return await collection.OpenCursorAsync(new BsonDocument { { "listIndexes", collection.CollectionName }, { "cursor", new BsonDocument() } },
                MongoDB.Bson.Serialization.Serializers.BsonDocumentSerializer.Instance, null, 0, runAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException e) when (e.Code == NamespaceNotFound)
        {
            // A collection that does not exist has no indexes (index-management spec).
            return new ListCursor<BsonDocument>([]);
        }
    }

    private Task DropAsync(string name, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return WriteAsync(new BsonDocument { { "dropIndexes", collection.CollectionName }, { "index", name } }, runAsync, cancellationToken);
    }

    private async Task WriteAsync(BsonDocument command, bool runAsync, CancellationToken cancellationToken)
    {
        AddIf(command, "writeConcern", collection.WriteConcern.ToCommandDocument());
        var session = new ImplicitSession(executor.Sessions);
        try
        {
            await executor.WriteAsync(OperationTarget.ForCommand(collection.DatabaseName, command), _ => (new BsonDocument(command), null), session, retryable: false,
                executor.Start(runAsync, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            session.Release();
        }
    }

    private static void AddIf(BsonDocument document, string name, BsonValue? value)
    {
        if (value is not null)
        {
            document[name] = value;
        }
    }
}
