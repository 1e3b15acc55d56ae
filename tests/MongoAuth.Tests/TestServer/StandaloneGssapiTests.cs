using MongoAuth.Tests.Gssapi;
using static MongoAuth.Tests.Gssapi.KerberosBackend;

namespace MongoAuth.Tests.TestServer;

/// <summary>
/// The standalone server with <c>--gssapi-user</c>, against the KDC of tests/backends/kdc: the child inherits
/// KRB5_CONFIG and KRB5_KTNAME from this process, as the benchmark's server does. Fails when the KDC's variables are missing.
/// </summary>
[Collection(KerberosCollection.Name)]
public sealed class StandaloneGssapiTests
{
    [Fact]
    public async Task A_listed_principal_authenticates_with_GSSAPI()
    {
        using var child = StandaloneProcess.Start(["--gssapi-user", User, "--exit-on-stdin-close"]);
        var port = await child.ReadListeningPortAsync();
        await using var client = new MongoClient(Uri(port));

        var status = await client.GetConnectionStatusAsync();

        Assert.Equal(new MongoAuthenticatedUser(User, "$external"), Assert.Single(status.AuthenticatedUsers));
    }

    [Fact]
    public async Task A_principal_that_is_not_listed_is_refused()
    {
        using var child = StandaloneProcess.Start(["--gssapi-user", KeytabUser, "--exit-on-stdin-close"]);
        var port = await child.ReadListeningPortAsync();
        await using var client = new MongoClient(Uri(port));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetConnectionStatusAsync());

        Assert.Contains("GSSAPI", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Host localhost: the service principal is mongodb/localhost, which the KDC's service keytab holds.</summary>
    private static string Uri(int port) =>
        $"mongodb://{System.Uri.EscapeDataString(User)}:{System.Uri.EscapeDataString(UserPassword)}@localhost:{port}/" +
        "?authMechanism=GSSAPI&authSource=$external&serverSelectionTimeoutMS=10000";
}
