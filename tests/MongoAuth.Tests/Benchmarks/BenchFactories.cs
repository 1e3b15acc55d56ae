using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Scenarios;
using MongoAuth.Benchmarks.Server;

namespace MongoAuth.Tests.Benchmarks;

/// <summary>The benchmark's client factories by report column name, and a one-ping probe of a mechanism row.</summary>
internal static class BenchFactories
{
    public static IBenchClientFactory Named(string name) => name switch
    {
        "MongoAuth" => new MongoAuthClientFactory(),
        "MongoDB.Driver" => new OfficialDriverClientFactory(),
        "floor" => new FloorClientFactory(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such benchmark client."),
    };

    /// <summary>
    /// Starts the row's server as the benchmark does (a separate process), pings it once through a fresh
    /// <paramref name="client"/> and returns what that client counted; everything is stopped before returning.
    /// </summary>
    public static async Task<(long Connections, long? KeyDerivations)> PingOnceAsync(MechanismSetup setup, string client)
    {
        var server = await TestServerProcess.StartAsync(BenchServersFixture.ServerDll, setup.ServerArguments, CancellationToken.None);
        await using (server)
        {
            await using var bench = Named(client).Create(setup.Target(server.EndPoint), maxPoolSize: 1);
            await bench.PingAsync(CancellationToken.None);
            return (bench.ConnectionsOpened, bench.KeyDerivations);
        }
    }
}
