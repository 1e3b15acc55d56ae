using System.Globalization;
using MongoAuth.TestServer.Data;
using MongoAuth.TestServer.Users;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Topology;

/// <summary>
/// A replica set of <see cref="MongoTestServer"/>s in one process, sharing one data store and one user store (what
/// replication would give): one primary, secondaries that refuse writes with mongod's codes, optional hidden members
/// and an arbiter, <c>topologyVersion</c> that rises on every change (waking awaitable hellos), elections by
/// <c>replSetStepDown</c> / <c>replSetStepUp</c> or from code, and members that can be stopped and restarted on
/// their port. Writes that carry <c>txnNumber</c> are retryable: a retry returns the first result.
/// </summary>
public sealed class MongoTestReplicaSet : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly ReplicaSetOptions _options;
    private readonly DataStore _data = new();
    private readonly MongoTestServer?[] _servers;
    private readonly int[] _ports;
    private readonly TimeSpan[] _lag;
    private int? _primary;
    private int _disposed;

    private MongoTestReplicaSet(ReplicaSetOptions options)
    {
        _options = options;
        var count = options.Members + (options.Arbiter ? 1 : 0);
        _servers = new MongoTestServer?[count];
        _ports = new int[count];
        _lag = new TimeSpan[count];
    }

    /// <summary>The replica set's name.</summary>
    public string SetName => _options.Name;

    /// <summary>The users every member authenticates (one store, as replication would give).</summary>
    public TestUserStore Users { get; } = new();

    /// <summary>How many members there are, the arbiter included.</summary>
    public int MemberCount => _servers.Length;

    /// <summary>The index of the primary; null while there is none (after a step-down, before the election).</summary>
    public int? PrimaryIndex
    {
        get
        {
            lock (_lock)
            {
                return _primary;
            }
        }
    }

    /// <summary>Every member's address as hello names it (<c>127.0.0.1:port</c>), by index.</summary>
    public IReadOnlyList<string> Addresses => [.. Enumerable.Range(0, _servers.Length).Select(HostOf)];

    /// <summary>A connection string naming every listed member and the set (no credentials, no TLS options).</summary>
    public string ConnectionString => $"mongodb://{string.Join(',', ListedHosts())}/?replicaSet={SetName}";

    internal DeploymentState Deployment { get; } = new();

    internal long Term { get; private set; } = 1;

    internal int SetVersion => 1;

    internal ObjectId ElectionId { get; private set; } = ObjectId.GenerateNewId();

    /// <summary>Starts every member; member 0 is the first primary.</summary>
    public static async Task<MongoTestReplicaSet> StartAsync(ReplicaSetOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Members, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.HiddenMembers, options.Members);
        var set = new MongoTestReplicaSet(options);
        try
        {
            for (var i = 0; i < set._servers.Length; i++)
            {
                var port = options.FirstPort == 0 ? 0 : options.FirstPort + i;
                set._servers[i] = await set.StartMemberAsync(i, port, cancellationToken).ConfigureAwait(false);
                set._ports[i] = set._servers[i]!.Port;
            }
        }
        catch
        {
            await set.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        set._primary = 0;
        return set;
    }

    /// <summary>The running server of member <paramref name="index"/>; null while it is stopped.</summary>
    public MongoTestServer? Member(int index) => _servers[index];

    /// <summary>The primary steps down and the next electable running member is elected (after <paramref name="electionDelay"/>, with no primary meanwhile).</summary>
    public void StepDown(TimeSpan electionDelay)
    {
        int? next;
        lock (_lock)
        {
            var old = _primary ?? -1;
            next = Enumerable.Range(1, _servers.Length).Select(i => (old + i) % _servers.Length)
                .Where(i => i != old && IsElectable(i)).Cast<int?>().FirstOrDefault();
            _primary = null;
        }

        Deployment.Changed();
        if (next is not { } chosen)
        {
            return;
        }

        if (electionDelay <= TimeSpan.Zero)
        {
            Elect(chosen);
        }
        else
        {
            _ = Task.Delay(electionDelay).ContinueWith(_ => Elect(chosen), TaskScheduler.Default);
        }
    }

    /// <summary>Makes member <paramref name="index"/> the primary (a new term and electionId), as replSetStepUp does.</summary>
    public void Elect(int index)
    {
        lock (_lock)
        {
            if (!IsElectable(index))
            {
                throw new InvalidOperationException($"Member {index} cannot become primary (stopped, hidden or an arbiter).");
            }

            _primary = index;
            Term++;
            ElectionId = ObjectId.GenerateNewId();
        }

        Deployment.Changed();
    }

    /// <summary>Stops member <paramref name="index"/> (closing its connections); a stopped primary is replaced by election.</summary>
    public async Task StopMemberAsync(int index)
    {
        var server = _servers[index];
        _servers[index] = null;
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        if (PrimaryIndex == index)
        {
            StepDown(TimeSpan.Zero);
        }
        else
        {
            Deployment.Changed();
        }
    }

    /// <summary>Starts member <paramref name="index"/> again on its port (a new process id); it rejoins as a secondary.</summary>
    public async Task RestartMemberAsync(int index, CancellationToken cancellationToken)
    {
        if (_servers[index] is not null)
        {
            return;
        }

        _servers[index] = await StartMemberAsync(index, _ports[index], cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_primary is null && IsElectable(index))
            {
                _primary = index;
                Term++;
                ElectionId = ObjectId.GenerateNewId();
            }
        }

        Deployment.Changed();
    }

    /// <summary>How far member <paramref name="index"/> lags behind the primary (its <c>lastWriteDate</c> is that much older).</summary>
    public void SetReplicationLag(int index, TimeSpan lag)
    {
        _lag[index] = lag;
        Deployment.Changed();
    }

    /// <summary>Stops every server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        for (var i = 0; i < _servers.Length; i++)
        {
            if (_servers[i] is { } server)
            {
                _servers[i] = null;
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal string HostOf(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{FormatAddress()}:{_ports[index]}");

    internal bool IsArbiter(int index) => _options.Arbiter && index == _servers.Length - 1;

    internal bool IsHidden(int index) => !IsArbiter(index) && index >= _options.Members - _options.HiddenMembers;

    internal TimeSpan LagOf(int index) => _lag[index];

    internal IReadOnlyDictionary<string, string>? TagsOf(int index) => index < _options.Tags.Count ? _options.Tags[index] : null;

    /// <summary>hello's <c>hosts</c>: the members that are neither hidden nor arbiters.</summary>
    internal List<string> ListedHosts() =>
        [.. Enumerable.Range(0, _servers.Length).Where(i => !IsArbiter(i) && !IsHidden(i)).Select(HostOf)];

    /// <summary>hello's <c>passives</c>: none here (hidden members are left out altogether, as mongod does).</summary>
    internal List<string> PassiveHosts() => [];

    internal List<string> ArbiterHosts() => [.. Enumerable.Range(0, _servers.Length).Where(IsArbiter).Select(HostOf)];

    private bool IsElectable(int index) => _servers[index] is not null && !IsArbiter(index) && !IsHidden(index);

    private string FormatAddress()
    {
        var address = _options.Server.Address;
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    private Task<MongoTestServer> StartMemberAsync(int index, int port, CancellationToken cancellationToken) =>
        MongoTestServer.StartAsync(WithPort(_options.Server, port), Users, _data, server => new ReplicaSetMemberRole(this, index), cancellationToken);

    internal static TestServerOptions WithPort(TestServerOptions options, int port) => new()
    {
        Address = options.Address,
        Port = port,
        TlsCertificate = options.TlsCertificate,
        TlsIntermediates = options.TlsIntermediates,
        TlsProtocols = options.TlsProtocols,
        ClientCertificates = options.ClientCertificates,
        ClientCertificateTrust = options.ClientCertificateTrust,
        ClientCertificateRevocationLists = options.ClientCertificateRevocationLists,
        MaxWireVersion = options.MaxWireVersion,
        RequireAuthentication = options.RequireAuthentication,
        AnswerSpeculativeAuthentication = options.AnswerSpeculativeAuthentication,
        LoggerFactory = options.LoggerFactory,
    };
}
