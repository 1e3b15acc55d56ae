using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.Tls;

namespace MongoAuth.Tests.TestServer;

/// <summary>
/// The standalone server as a mongod with <c>--tlsCAFile</c>: it presents a PKCS#12 server certificate with its
/// intermediate, requires client certificates chaining to <c>--tls-client-ca</c>, and knows X.509 users by subject.
/// </summary>
[Collection(PkiCollection.Name)]
public sealed class StandaloneX509Tests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    [Fact]
    public async Task A_client_certificate_of_a_listed_subject_authenticates_with_MONGODB_X509()
    {
        using var child = StartServer(Pki.ClientEc.Subject);
        var port = await child.ReadListeningPortAsync();
        // tlsCAFile holds only the root: the chain verifies only because the server sends its intermediate.
        await using var client = new MongoClient(Uri(port, Pki.ClientEc));

        var status = await client.GetConnectionStatusAsync();

        Assert.Equal(new MongoAuthenticatedUser(Pki.ClientEc.Subject, "$external"), Assert.Single(status.AuthenticatedUsers));
    }

    [Fact]
    public async Task A_trusted_certificate_whose_subject_is_no_user_is_refused()
    {
        using var child = StartServer(Pki.ClientEc.Subject);
        var port = await child.ReadListeningPortAsync();
        await using var client = new MongoClient(Uri(port, Pki.ClientRsa));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetConnectionStatusAsync());

        Assert.Contains("MONGODB-X509", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_fails_the_tls_handshake()
    {
        using var child = StartServer(Pki.OtherCaClient.Subject);
        var port = await child.ReadListeningPortAsync();
        await using var client = new MongoClient(Uri(port, Pki.OtherCaClient));

        var error = await Assert.ThrowsAnyAsync<MongoException>(() => client.GetConnectionStatusAsync());

        Assert.IsNotType<MongoAuthenticationException>(error);
    }

    private StandaloneProcess StartServer(string externalUser) => StandaloneProcess.Start(
    [
        "--tls-pfx", Pki.Server.Pkcs12File, "--tls-password", Pki.Password, "--tls-client-ca", Pki.CAFile,
        "--external-user", externalUser, "--exit-on-stdin-close",
    ]);

    private string Uri(int port, PkiIdentity client) =>
        $"mongodb://localhost:{port}/?tls=true&authMechanism=MONGODB-X509&serverSelectionTimeoutMS=10000" +
        $"&tlsCAFile={System.Uri.EscapeDataString(Pki.CAFile)}&tlsCertificateKeyFile={System.Uri.EscapeDataString(client.Pkcs12File)}" +
        $"&tlsCertificateKeyFilePassword={System.Uri.EscapeDataString(Pki.Password)}";
}
