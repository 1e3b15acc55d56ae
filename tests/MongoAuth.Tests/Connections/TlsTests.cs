using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Connections;

public sealed class TlsTests
{
    private static async Task<BsonDocument> PingOverTlsAsync(TestCertificates certificates, MongoTlsSettings tls)
    {
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r), certificates.Server);
        var settings = TestSettings.For(server) with { Servers = [new MongoServerAddress("localhost", server.Port)], UseTls = true, Tls = tls };
        await using var client = new MongoClient(settings);
        return await client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1));
    }

    [Fact]
    public async Task TlsCAFile_is_trusted_and_the_host_name_matches()
    {
        using var certificates = TestCertificates.Create("localhost");

        var reply = await PingOverTlsAsync(certificates, new MongoTlsSettings { CAFile = certificates.CaFile });

        Assert.Equal("ping", reply["echo"].AsString);
    }

    [Fact]
    public async Task A_host_name_mismatch_is_refused_with_the_option_that_would_allow_it()
    {
        using var certificates = TestCertificates.Create("db.other.example");

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => PingOverTlsAsync(certificates, new MongoTlsSettings { CAFile = certificates.CaFile }));

        Assert.Contains("host-name check failed", error.Message);
        Assert.Contains("db.other.example, not 'localhost'", error.Message);
        Assert.Contains("tlsAllowInvalidHostnames", error.Message);
        Assert.DoesNotContain("chain check", error.Message);
    }

    [Fact]
    public async Task TlsAllowInvalidHostnames_accepts_the_mismatch_but_still_checks_the_chain()
    {
        using var certificates = TestCertificates.Create("db.other.example");
        using var stranger = TestCertificates.Create("localhost");

        var reply = await PingOverTlsAsync(certificates, new MongoTlsSettings { CAFile = certificates.CaFile, AllowInvalidHostnames = true });
        var error = await Assert.ThrowsAsync<MongoConnectionException>(() =>
            PingOverTlsAsync(certificates, new MongoTlsSettings { CAFile = stranger.CaFile, AllowInvalidHostnames = true }));

        Assert.Equal("ping", reply["echo"].AsString);
        Assert.Contains("chain check failed", error.Message);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_and_tlsCAFile_is_suggested()
    {
        using var certificates = TestCertificates.Create("localhost");

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => PingOverTlsAsync(certificates, new MongoTlsSettings()));

        Assert.Contains("tlsCAFile", error.Message);
    }

    [Fact]
    public async Task TlsAllowInvalidCertificates_and_tlsInsecure_accept_an_untrusted_certificate()
    {
        using var certificates = TestCertificates.Create("localhost");
        using var mismatched = TestCertificates.Create("db.other.example");

        var allowed = await PingOverTlsAsync(certificates, new MongoTlsSettings { AllowInvalidCertificates = true });
        var insecure = await PingOverTlsAsync(mismatched, new MongoTlsSettings { Insecure = true });

        Assert.Equal("ping", allowed["echo"].AsString);
        Assert.Equal("ping", insecure["echo"].AsString);
    }

    [Fact]
    public async Task An_unreadable_tlsCAFile_names_the_option()
    {
        using var certificates = TestCertificates.Create("localhost");
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.pem");

        var error = await Assert.ThrowsAsync<MongoConfigurationException>(() => PingOverTlsAsync(certificates, new MongoTlsSettings { CAFile = missing }));

        Assert.Equal("tlsCAFile", error.OptionName);
    }
}
