using MongoAuth.Benchmarks.Scenarios;
using MongoAuth.Benchmarks.Server;
using MongoAuth.Tests.Benchmarks;
using MongoAuth.TestServer.Authentication.Oidc;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// The benchmark's two MONGODB-OIDC cold-connect rows do what their names say (correctness only, nothing is timed),
/// against a standalone server process started with <c>--oidc-issuer</c>: with a fresh token each new client calls the
/// callback, with a cached token only the first client of the run does and the others authenticate with the cached
/// token (in hello). The floor only pings.
/// </summary>
public sealed class OidcBenchRowTests
{
    [Theory]
    [InlineData("MongoAuth", false, 3)]
    [InlineData("MongoAuth", true, 1)]
    [InlineData("MongoDB.Driver", false, 3)]
    [InlineData("MongoDB.Driver", true, 1)]
    public async Task Each_client_of_the_row_authenticates_and_calls_the_callback_as_the_row_says(string client, bool cached, int expectedCalls)
    {
        await using var issuer = new TestOidcIssuer();
        var setup = MechanismSetup.Oidc(issuer, cached);
        await using var server = await TestServerProcess.StartAsync(BenchServersFixture.ServerDll, setup.ServerArguments, CancellationToken.None);
        var target = setup.Target(server.EndPoint);

        for (var i = 0; i < 3; i++)
        {
            await using var bench = BenchFactories.Named(client).Create(target, maxPoolSize: 1);
            await bench.PingAsync(CancellationToken.None);
            Assert.Equal(1, bench.ConnectionsOpened);
        }

        Assert.Equal(expectedCalls, client == "MongoAuth" ? target.Oidc!.MongoAuthCalls : target.Oidc!.OfficialCalls);
    }

    [Fact]
    public async Task The_token_is_given_from_code_never_in_the_connection_string()
    {
        await using var issuer = new TestOidcIssuer();
        var target = MechanismSetup.Oidc(issuer, cached: false).Target(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 27017));

        var uri = target.ConnectionString(1);

        Assert.DoesNotContain("MONGODB-OIDC", uri, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", uri, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", target.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_floor_pings_the_OIDC_server()
    {
        await using var issuer = new TestOidcIssuer();
        var setup = MechanismSetup.Oidc(issuer, cached: false);
        await using var server = await TestServerProcess.StartAsync(BenchServersFixture.ServerDll, setup.ServerArguments, CancellationToken.None);

        await using var floor = BenchFactories.Named("floor").Create(setup.Target(server.EndPoint), maxPoolSize: 1);
        await floor.PingAsync(CancellationToken.None);

        Assert.Equal(1, floor.ConnectionsOpened);
    }
}
