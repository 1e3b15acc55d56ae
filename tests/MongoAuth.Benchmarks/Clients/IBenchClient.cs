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

    /// <summary>
    /// Warm-up of a fresh client whose target has a minPoolSize: returns once <paramref name="connections"/>
    /// authenticated connections are ready. A driver gets one ping (which starts its pool: neither driver connects
    /// before its first operation needs a server) and its background fill is then waited for, watching the same
    /// count as <see cref="ConnectionsOpened"/>.
    /// </summary>
    ValueTask WarmUpAsync(int connections, CancellationToken cancellationToken);
}

/// <summary>Makes fresh clients of one kind (one column of the results).</summary>
internal interface IBenchClientFactory
{
    /// <summary>The column name in the report.</summary>
    string Name { get; }

    /// <summary>A new client for <paramref name="target"/> whose pool holds at most <paramref name="maxPoolSize"/> connections.</summary>
    IBenchClient Create(BenchTarget target, int maxPoolSize);

    /// <summary>
    /// Why this kind of client cannot be measured against <paramref name="target"/> on this machine (e.g. a package it
    /// needs is not installed), or null when it can. The cell then says so instead of a failure.
    /// </summary>
    string? NotMeasured(BenchTarget target) => null;
}

/// <summary>How the drivers' warm-up is watched: one ping, then the ready-connection count, looked at every millisecond.</summary>
internal static class PoolWarmUp
{
    /// <summary>Pings once, then waits until <paramref name="client"/> has <paramref name="connections"/> connections ready.</summary>
    public static async ValueTask WaitAsync(IBenchClient client, int connections, CancellationToken cancellationToken)
    {
        await client.PingAsync(cancellationToken).ConfigureAwait(false);
        while (client.ConnectionsOpened < connections)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }
}
