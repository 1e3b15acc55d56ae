namespace MongoAuth.Benchmarks.Clients;

/// <summary>One client instance under measurement: a driver's client object, or the raw-socket floor.</summary>
internal interface IBenchClient : IAsyncDisposable
{
    /// <summary>Sends <c>{ping: 1}</c> to <c>admin</c> and waits for the reply, through the client's own pool.</summary>
    ValueTask PingAsync(CancellationToken cancellationToken);

    /// <summary>Connections this client has opened (and, with a credential, authenticated) so far.</summary>
    long ConnectionsOpened { get; }

    /// <summary>PBKDF2 key derivations this client has run so far, or null when it cannot be known.</summary>
    long? KeyDerivations { get; }
}

/// <summary>Makes fresh clients of one kind (one column of the results).</summary>
internal interface IBenchClientFactory
{
    /// <summary>The column name in the report.</summary>
    string Name { get; }

    /// <summary>A new client for <paramref name="target"/> whose pool holds at most <paramref name="maxPoolSize"/> connections.</summary>
    IBenchClient Create(BenchTarget target, int maxPoolSize);
}
