using System.Security.Cryptography;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Server;

namespace MongoAuth.Tests.Benchmarks;

/// <summary>
/// The standalone test server as the benchmarks run it: two separate processes (plain and self-signed TLS) from the
/// MongoAuth.TestServer.dll copied beside the tests, with one SCRAM user; stopped when the tests are done.
/// </summary>
public sealed class BenchServersFixture : IAsyncLifetime
{
    private TestServerProcess? _plain;
    private TestServerProcess? _tls;

    internal static string ServerDll => Path.Combine(AppContext.BaseDirectory, "MongoAuth.TestServer.dll");

    internal BenchCredential Credential { get; } =
        new("SCRAM-SHA-256", "admin", "bench", Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    internal BenchTarget Target(bool tls) =>
        new((tls ? _tls : _plain)?.EndPoint ?? throw new InvalidOperationException("The servers did not start."), tls, Credential);

    public async Task InitializeAsync()
    {
        string[] user = ["--user", $"{Credential.Source}:{Credential.User}:{Credential.Password}"];
        _plain = await TestServerProcess.StartAsync(ServerDll, user, CancellationToken.None);
        _tls = await TestServerProcess.StartAsync(ServerDll, [.. user, "--tls-self-signed"], CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }

        if (_plain is not null)
        {
            await _plain.DisposeAsync();
        }
    }
}
