namespace MongoAuth;

/// <summary>
/// What an application uses of a <see cref="MongoClient"/>, as an interface so it can be mocked or decorated:
/// databases, their names, dropping one, and who the client is authenticated as.
/// </summary>
public interface IMongoClient : IDisposable
{
    /// <summary>The validated settings.</summary>
    MongoClientSettings Settings { get; }

    /// <summary>A database handle (no I/O).</summary>
    IMongoDatabase GetDatabase(string name);

    /// <summary>The names of the databases the user may see (<c>listDatabases</c> with <c>nameOnly</c>).</summary>
    Task<IAsyncCursor<string>> ListDatabaseNamesAsync(CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="ListDatabaseNamesAsync"/>.</summary>
    IAsyncCursor<string> ListDatabaseNames(CancellationToken cancellationToken = default);

    /// <summary>Drops a database and everything in it.</summary>
    Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="DropDatabaseAsync"/>.</summary>
    void DropDatabase(string name, CancellationToken cancellationToken = default);

    /// <summary>Who this client's connections are authenticated as (<c>connectionStatus</c>).</summary>
    Task<MongoConnectionStatus> GetConnectionStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>The synchronous form of <see cref="GetConnectionStatusAsync"/>.</summary>
    MongoConnectionStatus GetConnectionStatus(CancellationToken cancellationToken = default);
}
