using System.Net;
using System.Net.Sockets;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.EndToEnd;
using MongoAuth.Tests.Tls;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Authentication;

/// <summary>
/// X.509 hints follow the evidence, in both modes: code 18 gets the "user named exactly the subject" hint and not the
/// refused-certificate one; a TLS handshake that times out gets no refused-certificate hint.
/// </summary>
[Collection(PkiCollection.Name)]
public sealed class X509FailureHintTests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    private static Task<Exception> PingFailureAsync(MongoClient client, Mode mode) => Record.ExceptionAsync(() => client.PingIn(mode));

    [Theory, BothModes]
    public async Task Code_18_gets_the_subject_hint_and_not_the_certificate_hint(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);
        server.Users.Remove("$external", Pki.ClientEc.Subject);
        await using var client = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, Pki.ClientEc.Pkcs8PemFile));

        var error = Assert.IsType<MongoAuthenticationException>(await PingFailureAsync(client, mode));

        Assert.Equal(("MONGODB-X509", "authenticate", 18), (error.Mechanism, error.Step, error.ServerErrorCode));
        Assert.StartsWith("Authentication with MONGODB-X509 failed for user (no user name) on database '$external' at authenticate: the server answered 18",
            error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check that a user named exactly the certificate's RFC 2253 subject exists on $external.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("refused the client certificate", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_tls_handshake_that_times_out_gets_no_client_certificate_hint(Mode mode)
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptSocketAsync();
        await using var client = new MongoClient(
            $"mongodb://127.0.0.1:{port}/?authMechanism=MONGODB-X509&tls=true&connectTimeoutMS=1500&serverSelectionTimeoutMS=5000" +
            $"&tlsCAFile={Uri.EscapeDataString(Pki.CAFile)}&tlsCertificateKeyFile={Uri.EscapeDataString(Pki.ClientEc.Pkcs8PemFile)}");

        var error = Assert.IsType<MongoOperationTimeoutException>(await PingFailureAsync(client, mode));
        Assert.Equal("connectTimeoutMS", error.TimeoutOption);

        Assert.Contains("The TLS handshake with 127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("refused the client certificate", error.Message, StringComparison.Ordinal);
        (await accepted).Dispose();
    }
}
