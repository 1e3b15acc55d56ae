using System.Collections.Concurrent;
using System.Globalization;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Data;
using MongoAuth.TestServer.Users;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Topology;

/// <summary>
/// A load balancer in front of mongos routers, as a client in load-balanced mode sees it: one address; every
/// connection reaches one backend (connections are spread over the services in turn), and hello answers a client that
/// sends <c>loadBalanced: true</c> with that backend's <c>serviceId</c>. A cursor lives on the backend that opened it: a
/// getMore or killCursors arriving through another backend fails with CursorNotFound (43), as another mongos would
/// answer. With <c>sendServiceId: false</c> it is the lying variant (a plain mongos reached with loadBalanced=true),
/// whose hello has no serviceId.
/// </summary>
public sealed class MongoTestLoadBalancer : IAsyncDisposable
{
    private readonly ObjectId[] _services;
    private readonly ConcurrentDictionary<long, long> _cursorOwners = new();
    private int _offConnection;

    private MongoTestLoadBalancer(int services, bool sendServiceId)
    {
        _services = [.. Enumerable.Range(0, services).Select(_ => ObjectId.GenerateNewId())];
        SendsServiceId = sendServiceId;
    }

    /// <summary>The server behind the address (its fail points, its statistics).</summary>
    public MongoTestServer Server { get; private set; } = null!;

    /// <summary>The users the routers authenticate.</summary>
    public TestUserStore Users { get; } = new();

    /// <summary>The address, <c>127.0.0.1:port</c>.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"{Server.EndPoint.Address}:{Server.Port}");

    /// <summary>A connection string for the load balancer (<c>loadBalanced=true</c>, no credentials, no TLS options).</summary>
    public string ConnectionString => $"mongodb://{Address}/?loadBalanced=true";

    /// <summary>The backends' service ids, in the order connections are spread over them.</summary>
    public IReadOnlyList<ObjectId> ServiceIds => _services;

    /// <summary>Whether hello carries serviceId (false: the lying variant).</summary>
    public bool SendsServiceId { get; }

    /// <summary>
    /// How many getMore/killCursors arrived on a connection other than the one that opened the cursor (through the
    /// same backend, so they worked; a driver in load-balanced mode pins the cursor's connection and makes this 0).
    /// </summary>
    public int CursorCommandsOffTheirConnection => Volatile.Read(ref _offConnection);

    /// <summary>Which connection (the server's connection id) opened each cursor still known.</summary>
    public IReadOnlyDictionary<long, long> CursorConnections => _cursorOwners;

    internal DeploymentState Deployment { get; } = new();

    /// <summary>Starts the load balancer with <paramref name="services"/> backends sharing one data and user store.</summary>
    public static async Task<MongoTestLoadBalancer> StartAsync(TestServerOptions options, int services = 2, bool sendServiceId = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(services, 1);
        var balancer = new MongoTestLoadBalancer(services, sendServiceId);
        balancer.Server = await MongoTestServer.StartAsync(options, balancer.Users, new DataStore(), _ => new LoadBalancedRole(balancer), cancellationToken).ConfigureAwait(false);
        return balancer;
    }

    /// <summary>The backend a connection (the server's connection id, from 1) reaches.</summary>
    public ObjectId ServiceOf(long connectionId) => _services[(int)((connectionId - 1) % _services.Length)];

    internal void OpenedCursor(long cursorId, long connectionId) => _cursorOwners[cursorId] = connectionId;

    /// <summary>Refuses a cursor command that reached another backend than the cursor's; counts one on another connection.</summary>
    internal void CheckCursor(long cursorId, long connectionId)
    {
        if (!_cursorOwners.TryGetValue(cursorId, out var owner) || owner == connectionId)
        {
            return;
        }

        if (ServiceOf(owner) != ServiceOf(connectionId))
        {
            throw new ServerCommandException(43, "CursorNotFound", $"cursor id {cursorId} not found (it lives on another mongos behind the load balancer)");
        }

        Interlocked.Increment(ref _offConnection);
    }

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => Server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
