using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Connections;

/// <summary>
/// The .NET runtime keeps one TLS session per target host name for the whole process: these tests run alone, so no
/// other test's connection to "localhost" replaces the session they watch.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TlsSessionCacheCollection
{
    public const string Name = "TLS session cache";
}

/// <summary>
/// TLS session resumption between MongoAuth's connections and the test server, seen on the wire by the server (its
/// ServerHello accepts the session ticket): later connections to a server reached by name skip the certificate
/// exchange and the signature, and a resumed session never skips the client's check of the certificate.
/// </summary>
[Collection(TlsSessionCacheCollection.Name)]
public sealed class TlsResumptionTests
{
    private const string Password = "resumption-test-password";

    [Theory, BothModes]
    public async Task A_later_connection_to_the_same_server_resumes_the_first_ones_session(Mode mode)
    {
        await using var server = await TlsScramServer.StartAsync(Password);

        await using (var first = new MongoClient(server.Settings()))
        {
            await first.PingIn(mode);
        }

        var resumedBefore = server.Server.Statistics.TlsHandshakesResumed;
        await using (var second = new MongoClient(server.Settings()))
        {
            await second.PingIn(mode);
        }

        Assert.Equal(0, resumedBefore);
        Assert.Equal(1, server.Server.Statistics.TlsHandshakesResumed);
        Assert.Equal(2, server.Server.Statistics.TlsServerNames.Count);
    }

    [Theory, BothModes]
    public async Task A_pool_filling_to_minPoolSize_resumes_the_session_of_its_first_connection(Mode mode)
    {
        await using var server = await TlsScramServer.StartAsync(Password);
        await using var client = new MongoClient(server.Settings() with { MinPoolSize = 5, MaxPoolSize = 5 });

        await client.PingIn(mode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (server.Server.Statistics.TlsServerNames.Count < 5)
        {
            await Task.Delay(10, timeout.Token);
        }

        // The ping's connection runs a full handshake, and so may the one the background fill opens beside it
        // (maxConnecting is 2) before the first ticket has arrived. Later ones resume, except when the one session
        // the runtime keeps for the name was just taken by the connection opening beside them (OpenSSL uses a TLS 1.3
        // ticket once) and that connection's new tickets have not been read yet: how many resume depends on timing.
        Assert.Equal(5, server.Server.Statistics.TlsServerNames.Count);
        Assert.InRange(server.Server.Statistics.TlsHandshakesResumed, 1, 4);
    }

    [Theory, BothModes]
    public async Task A_resumable_session_does_not_let_an_untrusted_certificate_through(Mode mode)
    {
        await using var server = await TlsScramServer.StartAsync(Password);
        await using (var trusting = new MongoClient(server.Settings()))
        {
            await trusting.PingIn(mode);
        }

        // Same host name, so the runtime offers the session the trusting client left; this client trusts only the
        // system store, which does not hold the server's throwaway certificate.
        var strict = server.Settings() with { Tls = new MongoTlsSettings(), ServerSelectionTimeout = TimeSpan.FromSeconds(2) };
        await using var client = new MongoClient(strict);

        var error = await Assert.ThrowsAnyAsync<MongoException>(() => client.PingIn(mode));

        Assert.Contains("certificate", error.ToString(), StringComparison.OrdinalIgnoreCase);
        // The refused handshake was a resumed one: the server finished it before the client's check refused it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (server.Server.Statistics.TlsServerNames.Count < 2)
        {
            await Task.Delay(10, timeout.Token);
        }

        Assert.Equal(1, server.Server.Statistics.TlsHandshakesResumed);
    }
}
