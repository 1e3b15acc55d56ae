using MongoAuth.Benchmarks.Scenarios;
using MongoAuth.Tests.Benchmarks;

namespace MongoAuth.Tests.Aws;

/// <summary>
/// The benchmark's "MONGODB-AWS (explicit keys)" cold-connect row really authenticates (correctness only, nothing is
/// timed) against a standalone server started with <c>--aws-identity</c>, and keeps the keys out of the connection string.
/// </summary>
public sealed class AwsBenchRowTests
{
    [Theory]
    [InlineData("MongoAuth")]
    [InlineData("floor")]
    public async Task The_row_pings_through_a_server_process_that_checks_the_signature(string client)
    {
        var (connections, derivations) = await BenchFactories.PingOnceAsync(MechanismSetup.AwsExplicitKeys(), client);

        Assert.Equal(1, connections);
        Assert.Equal(0, derivations);
    }

    [Fact]
    public void The_official_driver_cell_says_not_measured_when_its_aws_package_is_missing()
    {
        var target = MechanismSetup.AwsExplicitKeys().Target(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 27017));
        var packagePresent = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "MongoDB.Driver.Authentication.AWS")
            || File.Exists(Path.Combine(AppContext.BaseDirectory, "MongoDB.Driver.Authentication.AWS.dll"));

        var reason = BenchFactories.Named("MongoDB.Driver").NotMeasured(target);

        // The package is not on this machine's feed, so it is not referenced: the cell must say why, not "failed".
        Assert.False(packagePresent);
        Assert.NotNull(reason);
        Assert.Contains("MongoDB.Driver.Authentication.AWS", reason, StringComparison.Ordinal);
        Assert.Null(BenchFactories.Named("MongoAuth").NotMeasured(target));
        Assert.Null(BenchFactories.Named("floor").NotMeasured(target));
    }

    [Fact]
    public void Only_the_aws_row_lacks_the_official_driver()
    {
        var scram = new MongoAuth.Benchmarks.Clients.BenchTarget(
            new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 27017), false, new MongoAuth.Benchmarks.Clients.BenchCredential("SCRAM-SHA-256", "admin", "u", "p"));

        Assert.Null(BenchFactories.Named("MongoDB.Driver").NotMeasured(scram));
    }

    [Fact]
    public void The_keys_are_given_from_code_never_in_the_connection_string()
    {
        var setup = MechanismSetup.AwsExplicitKeys();
        var target = setup.Target(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 27017));

        var uri = target.ConnectionString(1);

        Assert.True(target.KeysFromCode);
        Assert.DoesNotContain(target.Credential!.Password!, uri, StringComparison.Ordinal);
        Assert.DoesNotContain("@", uri, StringComparison.Ordinal);
        Assert.Contains("authMechanism=MONGODB-AWS", uri, StringComparison.Ordinal);
    }
}
