using System.Globalization;
using MongoAuth.TestServer.Data;
using MongoAuth.TestServer.Users;

namespace MongoAuth.TestServer.Topology;

/// <summary>
/// The routers of a sharded cluster as a client sees them: <see cref="MongoTestServer"/>s whose hello says
/// <c>msg: "isdbgrid"</c> (mongos), sharing one data and user store, accepting retryable writes. Routers can be
/// stopped and restarted on their port.
/// </summary>
public sealed class MongoTestShardedCluster : IAsyncDisposable
{
    private readonly TestServerOptions _options;
    private readonly DataStore _data = new();
    private readonly MongoTestServer?[] _routers;
    private readonly int[] _ports;
    private int _disposed;

    private MongoTestShardedCluster(TestServerOptions options, int routers)
    {
        _options = options;
        _routers = new MongoTestServer?[routers];
        _ports = new int[routers];
    }

    /// <summary>The users every router authenticates.</summary>
    public TestUserStore Users { get; } = new();

    /// <summary>Every router's address (<c>127.0.0.1:port</c>).</summary>
    public IReadOnlyList<string> Addresses =>
        [.. _ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{_options.Address}:{p}"))];

    /// <summary>A connection string naming every router.</summary>
    public string ConnectionString => $"mongodb://{string.Join(',', Addresses)}/";

    internal DeploymentState Deployment { get; } = new();

    /// <summary>Starts <paramref name="routers"/> mongos routers on free ports (or from <paramref name="options"/>' port on).</summary>
    public static async Task<MongoTestShardedCluster> StartAsync(TestServerOptions options, int routers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(routers, 1);
        var cluster = new MongoTestShardedCluster(options, routers);
        try
        {
            for (var i = 0; i < routers; i++)
            {
                cluster._routers[i] = await cluster.StartRouterAsync(options.Port == 0 ? 0 : options.Port + i, cancellationToken).ConfigureAwait(false);
                cluster._ports[i] = cluster._routers[i]!.Port;
            }
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    /// <summary>The running router <paramref name="index"/>; null while stopped.</summary>
    public MongoTestServer? Router(int index) => _routers[index];

    /// <summary>Stops router <paramref name="index"/>, closing its connections.</summary>
    public async Task StopRouterAsync(int index)
    {
        if (_routers[index] is { } router)
        {
            _routers[index] = null;
            await router.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts router <paramref name="index"/> again on its port.</summary>
    public async Task RestartRouterAsync(int index, CancellationToken cancellationToken) =>
        _routers[index] ??= await StartRouterAsync(_ports[index], cancellationToken).ConfigureAwait(false);

    /// <summary>Stops every server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        for (var i = 0; i < _routers.Length; i++)
        {
            await StopRouterAsync(i).ConfigureAwait(false);
        }
    }

    private Task<MongoTestServer> StartRouterAsync(int port, CancellationToken cancellationToken) =>
        MongoTestServer.StartAsync(MongoTestReplicaSet.WithPort(_options, port), Users, _data, _ => new MongosRole(Deployment), cancellationToken);
}
