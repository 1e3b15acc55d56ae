using System.Net;
using System.Net.Sockets;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Server;

namespace MongoAuth.Tests.Benchmarks;

/// <summary>
/// The benchmark's clients really ping the separate server process (correctness only: nothing here is timed), count
/// what the report says they count, and fail loudly instead of measuring nothing.
/// </summary>
public sealed class BenchClientTests(BenchServersFixture servers) : IClassFixture<BenchServersFixture>
{
    public static TheoryData<bool> Transports => new() { false, true };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_floor_pings_the_server_and_reuses_its_socket(bool tls)
    {
        await using var client = new FloorClientFactory().Create(servers.Target(tls), maxPoolSize: 1);

        await client.PingAsync(CancellationToken.None);
        await client.PingAsync(CancellationToken.None);

        Assert.Equal(1, client.ConnectionsOpened);
        Assert.Equal(0, client.KeyDerivations);
    }

    public static TheoryData<string, bool> DriversAndTransports => new()
    {
        { "MongoAuth", false }, { "MongoAuth", true }, { "MongoDB.Driver", false }, { "MongoDB.Driver", true },
    };

    [Theory]
    [MemberData(nameof(DriversAndTransports))]
    public async Task A_driver_authenticates_its_pooled_connections_and_reports_its_key_derivations(string driver, bool tls)
    {
        await using var client = Factory(driver).Create(servers.Target(tls), maxPoolSize: 10);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PingAsync(CancellationToken.None).AsTask()));

        Assert.InRange(client.ConnectionsOpened, 1, 10);
        // MongoAuth's key cache is client-wide (one PBKDF2 run); the official driver's is per connection.
        Assert.Equal(driver == "MongoAuth" ? 1 : client.ConnectionsOpened, client.KeyDerivations);
    }

    public static TheoryData<string> Drivers => new() { "MongoAuth", "MongoDB.Driver" };

    [Theory]
    [MemberData(nameof(DriversAndTransports))]
    public async Task A_driver_warms_up_to_its_minPoolSize_with_authenticated_connections(string driver, bool tls)
    {
        await using var client = Factory(driver).Create(servers.Target(tls) with { MinPoolSize = 12 }, maxPoolSize: 12);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await client.WarmUpAsync(12, timeout.Token);

        Assert.Equal(12, client.ConnectionsOpened);
        // The background fill goes through the client-wide key cache: one PBKDF2 run for twelve connections.
        Assert.Equal(driver == "MongoAuth" ? 1 : client.ConnectionsOpened, client.KeyDerivations);
    }

    [Fact]
    public async Task The_floor_warms_up_by_opening_the_connections_itself()
    {
        await using var client = new FloorClientFactory().Create(servers.Target(tls: true) with { MinPoolSize = 5 }, maxPoolSize: 5);

        await client.WarmUpAsync(5, CancellationToken.None);
        await client.PingAsync(CancellationToken.None);

        Assert.Equal(5, client.ConnectionsOpened);
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public async Task A_driver_with_a_wrong_password_fails_instead_of_measuring(string driver)
    {
        var target = servers.Target(tls: false) with { Credential = servers.Credential with { Password = "00" } };
        await using var client = Factory(driver).Create(target, maxPoolSize: 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.PingAsync(timeout.Token).AsTask());

        Assert.IsNotType<OperationCanceledException>(error);
        Assert.Contains("Authentication", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_floor_fails_when_the_peer_closes_without_answering()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closer = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
        });
        var target = new BenchTarget((IPEndPoint)listener.LocalEndpoint, Tls: false, Credential: null);
        await using var client = new FloorClientFactory().Create(target, maxPoolSize: 1);

        await Assert.ThrowsAnyAsync<IOException>(() => client.PingAsync(CancellationToken.None).AsTask());
        await closer;
        Assert.Equal(0, client.ConnectionsOpened);
    }

    [Fact]
    public async Task A_missing_server_build_is_reported_with_the_path()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "no-such-server.dll");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => TestServerProcess.StartAsync(path, [], CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_exits_before_listening_is_reported_with_its_stderr()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TestServerProcess.StartAsync(BenchServersFixture.ServerDll, ["--no-such-option"], CancellationToken.None));

        Assert.Contains("exited with code 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-such-option", error.Message, StringComparison.Ordinal);
    }

    private static IBenchClientFactory Factory(string driver) => BenchFactories.Named(driver);
}
