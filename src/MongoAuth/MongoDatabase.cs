using MongoAuth.Collections;
using MongoAuth.Cursors;
using MongoAuth.Diagnostics;
using MongoAuth.Sessions;
using MongoDB.Bson.Serialization;
using MongoDB.Bson;

#pragma warning disable CA2000 // The cursor is returned to the caller, who owns (disposes) it; the analyzer does not follow it through the completed task.
namespace MongoAuth;

/// <summary>A database handle: a name and a write concern bound to a client.</summary>
internal sealed class MongoDatabase(MongoClient client, string name, WriteConcern writeConcern) : IMongoDatabase
{
    private const int NamespaceNotFound = 26;

    public string Name => name;

    public IMongoClient Client => client;

    public WriteConcern WriteConcern => writeConcern;

    public IMongoCollection<TDocument> GetCollection<TDocument>(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MongoCollection<TDocument>(this, name, client.Executor, writeConcern, BsonSerializer.LookupSerializer<TDocument>());
    }

    public IMongoDatabase WithWriteConcern(WriteConcern writeConcern)
    {
        ArgumentNullException.ThrowIfNull(writeConcern);
        return new MongoDatabase(client, name, writeConcern);
    }

    public Task<BsonDocument> RunCommandAsync(BsonDocument command, CancellationToken cancellationToken = default) =>
        RunCommandAsync(command, runAsync: true, cancellationToken);

    // One code path: with runAsync false every read and write below is synchronous, so the task is already complete
    // and GetResult does not block on the thread pool.
    public BsonDocument RunCommand(BsonDocument command, CancellationToken cancellationToken = default) =>
        RunCommandAsync(command, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public async Task<TResult> RunCommandAsync<TResult>(Command<TResult> command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reply = await RunCommandAsync(command.Document, runAsync: true, cancellationToken).ConfigureAwait(false);
        return DocumentCodec.Read(BsonSerializer.LookupSerializer<TResult>(), reply);
    }

    public TResult RunCommand<TResult>(Command<TResult> command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reply = RunCommandAsync(command.Document, runAsync: false, cancellationToken).GetAwaiter().GetResult();
        return DocumentCodec.Read(BsonSerializer.LookupSerializer<TResult>(), reply);
    }

    public Task<IAsyncCursor<string>> ListCollectionNamesAsync(ListCollectionNamesOptions? options = null, CancellationToken cancellationToken = default) =>
        ListCollectionNamesAsync(options, runAsync: true, cancellationToken);

    public IAsyncCursor<string> ListCollectionNames(ListCollectionNamesOptions? options = null, CancellationToken cancellationToken = default) =>
        ListCollectionNamesAsync(options, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task CreateCollectionAsync(string name, CreateCollectionOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateCollectionAsync(name, options, runAsync: true, cancellationToken);

    public void CreateCollection(string name, CreateCollectionOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateCollectionAsync(name, options, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public Task DropCollectionAsync(string name, CancellationToken cancellationToken = default) =>
        DropCollectionAsync(name, runAsync: true, cancellationToken);

    public void DropCollection(string name, CancellationToken cancellationToken = default) =>
        DropCollectionAsync(name, runAsync: false, cancellationToken).GetAwaiter().GetResult();

    public override string ToString() => name;

    private async Task<BsonDocument> RunCommandAsync(BsonDocument command, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.ElementCount == 0)
        {
            throw new ArgumentException("A command needs at least its name as the first element.", nameof(command));
        }

        if (command.Contains("lsid"))
        {
            // The application chose the session itself: its lsid is sent as given.
            return await client.RunCommandAsync(name, command, session: null, runAsync, cancellationToken).ConfigureAwait(false);
        }

        // Run-command spec ("Session"): a command run without an explicit session gets an implicit one, as every other
        // operation does (driver-sessions spec), so the server can attribute and kill it.
        var session = new ImplicitSession(client.Sessions);
        try
        {
            return await client.RunCommandAsync(name, command, session, runAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            session.OnError(e);
            throw;
        }
        finally
        {
            session.Release();
        }
    }

    private async Task<IAsyncCursor<string>> ListCollectionNamesAsync(ListCollectionNamesOptions? options, bool runAsync, CancellationToken cancellationToken)
    {
        var command = new BsonDocument { { "listCollections", 1 }, { "nameOnly", true }, { "authorizedCollections", true }, { "cursor", new BsonDocument() } };
        if (options?.Filter is { } filter)
        {
            command["filter"] = filter.Document;
        }

        var executor = client.Executor;
        var session = new ImplicitSession(executor.Sessions);
        try
        {
            var replies = new CursorReplySerializer<BsonDocument>(BsonDocumentSerializerOf());
            var reply = await executor.ReadAsync(OperationTarget.ForCommand(name, command), _ => new BsonDocument(command), session, executor.Start(runAsync, cancellationToken), replies).ConfigureAwait(false);
            var entries = AsyncCursor<BsonDocument>.FromReply(executor, reply, name, BsonDocumentSerializerOf(), session, null, replies: replies);
            return new MappedCursor<BsonDocument, string>(entries, entry => entry["name"].AsString);
        }
        catch
        {
            session.Release();
            throw;
        }
    }

    private async Task CreateCollectionAsync(string collection, CreateCollectionOptions? options, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        var command = new BsonDocument("create", collection);
        if (options?.Capped is { } capped)
        {
            command["capped"] = capped;
        }

        if (options?.MaxSize is { } size)
        {
            command["size"] = size;
        }

        if (options?.MaxDocuments is { } max)
        {
            command["max"] = max;
        }

        if (options?.Validator is { } validator)
        {
            command["validator"] = validator;
        }

        await WriteAsync(command, runAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task DropCollectionAsync(string collection, bool runAsync, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        try
        {
            await WriteAsync(new BsonDocument("drop", collection), runAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException e) when (e.Code == NamespaceNotFound)
        {
            // Dropping what is not there is not an error (crud spec: drop).
        }
    }

    /// <summary>A catalog write (create, drop) with the database's write concern; never retried.</summary>
    internal async Task WriteAsync(BsonDocument command, bool runAsync, CancellationToken cancellationToken)
    {
        if (writeConcern.ToCommandDocument() is { } concern)
        {
            command["writeConcern"] = concern;
        }

        var executor = client.Executor;
        var session = new ImplicitSession(executor.Sessions);
        try
        {
            await executor.WriteAsync(OperationTarget.ForCommand(name, command), _ => (new BsonDocument(command), null), session, retryable: false, executor.Start(runAsync, cancellationToken))
                .ConfigureAwait(false);
        }
        finally
        {
            session.Release();
        }
    }

    private static IBsonSerializer<BsonDocument> BsonDocumentSerializerOf() => MongoDB.Bson.Serialization.Serializers.BsonDocumentSerializer.Instance;
}
