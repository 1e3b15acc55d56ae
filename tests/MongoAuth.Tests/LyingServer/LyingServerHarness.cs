using MongoAuth.Pooling;
using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.LyingServer;

/// <summary>
/// The lying-server tests measure allocation with <see cref="GC.GetTotalAllocatedBytes"/>, which counts every thread:
/// they run alone, not in parallel with other test classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LyingServerCollection
{
    public const string Name = "Lying server";
}

/// <summary>What one operation against a lying server left behind.</summary>
/// <param name="Error">What the operation threw (null if it succeeded).</param>
/// <param name="AllocatedBytes">Bytes allocated in the process while the operation ran (server side included).</param>
/// <param name="ConnectionsCreated">Pool connections created, counted when the operation ended.</param>
/// <param name="ConnectionsClosed">Pool connections closed, counted when the operation ended.</param>
/// <param name="ServerSawAllClosed">Whether the server saw every connection closed while the client was still alive.</param>
internal sealed record LieOutcome(Exception? Error, long AllocatedBytes, int ConnectionsCreated, int ConnectionsClosed, bool ServerSawAllClosed)
{
    /// <summary>
    /// The bound on allocation for any refused lie: 6× below the smallest length a lie announces beyond the cap
    /// (48,000,001), so allocating what a lie announces fails. <see cref="GC.GetTotalAllocatedBytes"/> counts the whole
    /// process, and what earlier test classes leave running (monitors, timers, servers being disposed) allocates too:
    /// 2.2 MB of such noise was seen in one run, so the bound leaves room for it.
    /// </summary>
    public const long AllocationBound = 8 * 1024 * 1024;

    /// <summary>
    /// Asserts the refusal: an exception of type <typeparamref name="T"/> whose message names the failed
    /// <paramref name="check"/>, less than <see cref="AllocationBound"/> allocated, no connection kept by the pool
    /// and (when <paramref name="serverKeepsSocket"/>) the server seeing the client close its socket.
    /// </summary>
    public T AssertRefused<T>(string check, bool serverKeepsSocket = true) where T : Exception
    {
        var error = Assert.IsType<T>(Error);
        Assert.Contains(check, error.Message, StringComparison.Ordinal);
        Assert.True(AllocatedBytes < AllocationBound, $"{AllocatedBytes:N0} bytes allocated");
        Assert.True(ConnectionsCreated >= 1, "no connection was attempted");
        Assert.Equal(ConnectionsCreated, ConnectionsClosed);
        if (serverKeepsSocket)
        {
            Assert.True(ServerSawAllClosed, "the client left a socket open");
        }
        return error;
    }
}

/// <summary>Runs one command through the public client API, synchronously or not, and records what it left behind.</summary>
internal static class LyingServerHarness
{
    /// <summary>Settings for a scripted server, short timeouts so a hang fails fast.</summary>
    public static MongoClientSettings Settings(ScriptedServer server, MongoCredential? credential = null) => new()
    {
        Servers = [server.Address],
        Credential = credential,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        SocketTimeout = TimeSpan.FromSeconds(10),
        ServerSelectionTimeout = TimeSpan.FromSeconds(5),
    };

    public static async Task<LieOutcome> PingAsync(ScriptedServer server, MongoClientSettings settings, Mode mode)
    {
        var created = 0;
        var closed = 0;
        settings = settings with
        {
            ConnectionPoolEventHandler = e =>
            {
                if (e is ConnectionCreatedEvent)
                {
                    Interlocked.Increment(ref created);
                }
                else if (e is ConnectionClosedEvent)
                {
                    Interlocked.Increment(ref closed);
                }
            },
        };
        await using var client = new MongoClient(settings);
        var database = client.GetDatabase("app");
        var ping = new BsonDocument("ping", 1);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var error = await Record.ExceptionAsync(() => database.RunCommandIn(mode, ping));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var (createdNow, closedNow) = (Volatile.Read(ref created), Volatile.Read(ref closed));
        // Checked before the client is disposed: disposing would close every socket anyway.
        var serverSawAllClosed = await server.AllConnectionsClosedAsync(TimeSpan.FromSeconds(5));
        return new LieOutcome(error, allocated, createdNow, closedNow, serverSawAllClosed);
    }
}
