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
