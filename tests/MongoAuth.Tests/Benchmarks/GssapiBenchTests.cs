using MongoAuth.Benchmarks.Scenarios;
using MongoAuth.Tests.Gssapi;

namespace MongoAuth.Tests.Benchmarks;

/// <summary>
/// The GSSAPI cold-connect row: set up from the KDC's environment (or "not measured" with the reason), and both
/// drivers authenticate from the ticket cache against the separate server process. Fails without the KDC backend.
/// </summary>
[Collection(KerberosCollection.Name)]
public sealed class GssapiBenchTests
{
    [Theory]
    [InlineData("MongoAuth")]
    [InlineData("MongoDB.Driver")]
    public async Task Both_drivers_authenticate_from_the_ticket_cache(string driver)
    {
        KerberosBackend.Kinit(KerberosBackend.User, KerberosBackend.UserPassword);
        var setup = MechanismSetup.Gssapi(Environment.GetEnvironmentVariable);
        Assert.Null(setup.NotMeasured);

        var (connections, derivations) = await BenchFactories.PingOnceAsync(setup, driver);

        Assert.Equal(1, connections);
        Assert.Equal(0, derivations);
    }

    [Fact]
    public void Without_the_kdc_environment_the_row_says_which_variables_are_missing()
    {
        var setup = MechanismSetup.Gssapi(name => name == "KRB5_CONFIG" ? "/tmp/krb5.conf" : null);

        Assert.StartsWith("not measured: ", setup.NotMeasured, StringComparison.Ordinal);
        Assert.Contains("KRB5_KTNAME", setup.NotMeasured, StringComparison.Ordinal);
        Assert.DoesNotContain("KRB5_CONFIG", setup.NotMeasured, StringComparison.Ordinal);
        Assert.Empty(setup.ServerArguments);
    }

    [Fact]
    public void A_kdc_or_kinit_failure_reported_by_bench_sh_is_the_reason_even_with_the_environment_set()
    {
        var setup = MechanismSetup.Gssapi(name => name == "MONGOAUTH_BENCH_KDC_ERROR" ? "kinit failed: no KDC" : "set");

        Assert.Equal("not measured: kinit failed: no KDC", setup.NotMeasured);
    }

    [Fact]
    public void With_the_kdc_environment_the_server_lets_the_user_in_and_clients_connect_by_service_host()
    {
        var setup = MechanismSetup.Gssapi(name => name switch
        {
            "MONGOAUTH_KRB_USER" => "alice@EXAMPLE.TEST",
            "MONGOAUTH_KRB_SERVICE_HOST" => "localhost",
            "MONGOAUTH_BENCH_KDC_ERROR" => null,
            _ => "set",
        });

        var target = setup.Target(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 4242));

        Assert.Equal(["--gssapi-user", "alice@EXAMPLE.TEST"], setup.ServerArguments);
        Assert.Equal("mongodb://alice%40EXAMPLE.TEST@localhost:4242/?maxPoolSize=1&authSource=$external&authMechanism=GSSAPI",
            target.ConnectionString(1));
    }
}
