using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Scenarios;
using MongoAuth.Benchmarks.Server;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.Tls;

namespace MongoAuth.Tests.Benchmarks;

/// <summary>
/// The per-mechanism cold-connect rows really authenticate (correctness only, nothing is timed): each client pings a
/// separate server process started with the row's arguments, and the floor connects the same way without authenticating.
/// </summary>
[Collection(PkiCollection.Name)]
public sealed class MechanismClientTests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    public static TheoryData<string, string> ClientsAndMechanisms => new()
    {
        { "MongoAuth", "MONGODB-X509" }, { "MongoDB.Driver", "MONGODB-X509" }, { "floor", "MONGODB-X509" },
        { "MongoAuth", "PLAIN" }, { "MongoDB.Driver", "PLAIN" }, { "floor", "PLAIN" },
    };

    [Theory]
    [MemberData(nameof(ClientsAndMechanisms))]
    public async Task Each_client_pings_through_the_mechanism_row_without_key_derivations(string client, string mechanism)
    {
        var setup = mechanism == "PLAIN" ? MechanismSetup.Plain() : MechanismSetup.X509(Pki);

        var (connections, derivations) = await BenchFactories.PingOnceAsync(setup, client);

        Assert.Equal(1, connections);
        Assert.Equal(0, derivations);
    }

    [Fact]
    public async Task The_x509_server_refuses_a_connection_without_the_client_certificate()
    {
        var setup = MechanismSetup.X509(Pki);
        var server = await TestServerProcess.StartAsync(BenchServersFixture.ServerDll, setup.ServerArguments, CancellationToken.None);
        await using (server)
        {
            var target = setup.Target(server.EndPoint) with { ClientCertificate = null };
            await using var floor = new FloorClientFactory().Create(target, maxPoolSize: 1);

            await Assert.ThrowsAnyAsync<IOException>(() => floor.PingAsync(CancellationToken.None).AsTask());
            Assert.Equal(0, floor.ConnectionsOpened);
        }
    }

    [Fact]
    public void The_x509_row_trusts_root_and_intermediate_and_knows_the_client_subject()
    {
        var setup = MechanismSetup.X509(Pki);

        var trustFile = setup.ServerArguments[setup.ServerArguments.ToList().IndexOf("--tls-client-ca") + 1];
        var trust = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        trust.ImportFromPemFile(trustFile);
        Assert.Equal([Pki.Root.Certificate.Thumbprint, Pki.Intermediate.Certificate.Thumbprint], trust.Select(c => c.Thumbprint));
        Assert.Contains(Pki.ClientEc.Subject, setup.ServerArguments);
        Assert.Null(setup.NotMeasured);
    }
}
