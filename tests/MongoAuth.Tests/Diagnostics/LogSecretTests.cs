using MongoAuth.Tests.ConnectionStrings;
using MongoAuth.Tests.EndToEnd;
using MongoAuth.Tests.Gssapi;
using MongoAuth.Tests.Ldap;
using MongoAuth.Tests.Support;
using MongoAuth.Tests.Tls;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Pki;
using MongoAuth.TestServer.Tls;
using MongoDB.Bson;

namespace MongoAuth.Tests.Diagnostics;

/// <summary>
/// Every mechanism's failure paths with a logger capturing everything down to Trace: whatever is logged (messages,
/// exceptions with their stacks, structured values) holds no password, key-file password, private key, token, proof or
/// signature. Each mechanism runs against its real backend (slapd, the KDC, the test PKI), as its end-to-end tests do.
/// </summary>
internal static class LoggedFailure
{
    /// <summary>Builds a client with a Trace logger from <paramref name="uri"/>, expects <typeparamref name="TException"/> from a ping.</summary>
    public static async Task<ListLogger> RunAsync<TException>(Mode mode, string uri, Func<MongoClientSettings, MongoClientSettings>? adjust = null)
        where TException : Exception
    {
        var logger = new ListLogger();
        var settings = MongoClientSettings.FromConnectionString(uri, new ListLoggerFactory(logger));
        await using var client = new MongoClient(adjust?.Invoke(settings) ?? settings);
        await Assert.ThrowsAsync<TException>(() => client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument("ping", 1)));
        return logger;
    }
}

public sealed class ScramLogSecretTests
{
    private const string Password = "scram-right-Pass-77";
    private const string Wrong = "scram-wrong-Pass-88";

    [Theory]
    [InlineData(Mode.Sync, "SCRAM-SHA-256", "demo")]
    [InlineData(Mode.Async, "SCRAM-SHA-256", "demo")]
    [InlineData(Mode.Sync, "SCRAM-SHA-1", "demo")]
    [InlineData(Mode.Async, "SCRAM-SHA-1", "demo")]
    [InlineData(Mode.Sync, null, "demo")] // negotiated: speculative SCRAM-SHA-256 in hello
    [InlineData(Mode.Async, null, "demo")]
    [InlineData(Mode.Sync, "SCRAM-SHA-256", "nobody")] // unknown user
    [InlineData(Mode.Async, "SCRAM-SHA-256", "nobody")]
    public async Task Wrong_password_or_unknown_user_logs_no_secret(Mode mode, string? mechanism, string user)
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        await using var server = await MongoTestServer.StartAsync(new TestServerOptions { TlsCertificate = certificate }, CancellationToken.None);
        server.Users.AddScramUser("admin", "demo", Password, [new GrantedRole("readWrite", "app")]);
        var uri = $"mongodb://{user}:{Wrong}@localhost:{server.Port}/?tls=true&authSource=admin&serverSelectionTimeoutMS=10000" +
            (mechanism is null ? "" : $"&authMechanism={mechanism}");

        var logger = await LoggedFailure.RunAsync<MongoAuthenticationException>(mode, uri, s => s with { Tls = s.Tls with { TrustedRoots = [certificate] } });

        LogAssert.FailureLoggedWithoutSecrets(logger, Wrong, Password);
    }
}

public sealed class PlainLogSecretTests
{
    [Theory]
    [InlineData(Mode.Sync, "alice", "not-alices-Pass-1")]
    [InlineData(Mode.Async, "alice", "not-alices-Pass-1")]
    [InlineData(Mode.Sync, "no-such-user", "any-Pass-2")]
    [InlineData(Mode.Async, "no-such-user", "any-Pass-2")]
    public async Task Wrong_password_or_unknown_user_over_LDAP_logs_no_secret(Mode mode, string user, string password)
    {
        await using var server = await PlainLdapServer.StartAsync();

        var logger = await LoggedFailure.RunAsync<MongoAuthenticationException>(mode, PlainLdapEndToEndTests.Uri("127.0.0.1", server.Port, user, password));

        LogAssert.FailureLoggedWithoutSecrets(logger, password, LdapBackend.Password("alice"), LdapBackend.BindPassword);
    }
}

[Collection(PkiCollection.Name)]
public sealed class X509LogSecretTests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    /// <summary>The key file password and every base64 line of the client's private key.</summary>
    private string[] Secrets(PkiIdentity client) =>
    [
        Pki.Password,
        .. File.ReadAllLines(client.Pkcs8PemFile).SkipWhile(l => !l.Contains("PRIVATE KEY", StringComparison.Ordinal)).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)),
        .. File.ReadAllLines(client.EncryptedPkcs8PemFile).SkipWhile(l => !l.Contains("PRIVATE KEY", StringComparison.Ordinal)).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)),
    ];

    private string Uri(MongoTestServer server, PkiIdentity client, string? user = null) =>
        X509TestServer.ConnectionString(server, Pki.CAFile, client.EncryptedPkcs8PemFile, options: "tlsCertificateKeyFilePassword=" + System.Uri.EscapeDataString(Pki.Password))
            .Replace("mongodb://", user is null ? "mongodb://" : $"mongodb://{System.Uri.EscapeDataString(user)}@", StringComparison.Ordinal);

    [Theory, BothModes]
    public async Task A_user_name_the_certificate_does_not_match_logs_no_key_or_password(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);

        var logger = await LoggedFailure.RunAsync<MongoAuthenticationException>(mode, Uri(server, Pki.ClientEc, user: Pki.ClientRsa.Subject));

        LogAssert.FailureLoggedWithoutSecrets(logger, Secrets(Pki.ClientEc));
        Assert.Contains(logger.Entries, e => e.EventId.Id == 201 && (int?)e.Value("ServerCode") == 18);
    }

    [Theory, BothModes]
    public async Task A_certificate_whose_subject_is_no_user_logs_no_key_or_password(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);
        server.Users.Remove("$external", Pki.ClientEc.Subject);

        var logger = await LoggedFailure.RunAsync<MongoAuthenticationException>(mode, Uri(server, Pki.ClientEc));

        LogAssert.FailureLoggedWithoutSecrets(logger, Secrets(Pki.ClientEc));
    }

    [Theory, BothModes]
    public async Task A_certificate_from_a_foreign_CA_fails_the_handshake_and_logs_no_key_or_password(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);

        var logger = await LoggedFailure.RunAsync<MongoConnectionException>(mode, Uri(server, Pki.OtherCaClient));

        LogAssert.FailureLoggedWithoutSecrets(logger, Secrets(Pki.OtherCaClient));
        // With TLS 1.2 the handshake fails; with TLS 1.3 the server refuses the certificate after it, so hello (which
        // carries X.509's speculative authentication) fails.
        Assert.Contains(logger.Entries, e => e.EventId.Id == 101 || (e.EventId.Id == 201 && (string?)e.Value("Step") == "hello" && (bool?)e.Value("Speculative") == true));
    }
}

[Collection(KerberosCollection.Name)]
public sealed class GssapiLogSecretTests
{
    [Theory, BothModes]
    public async Task A_wrong_password_logs_no_password(Mode mode)
    {
        KerberosBackend.Kdestroy();
        const string wrong = "not-the-Kerberos-Pass-3";
        await using var server = await Reference.GssapiReferenceTests.StartAsync();

        var logger = await LoggedFailure.RunAsync<MongoAuthenticationException>(mode, GssapiEndToEnd.Uri(server, wrong));

        LogAssert.FailureLoggedWithoutSecrets(logger, wrong, KerberosBackend.UserPassword);
    }

    [Theory, BothModes]
    public async Task An_unknown_service_logs_no_password_or_token(Mode mode)
    {
        await using var server = await Reference.GssapiReferenceTests.StartAsync();

        var logger = await LoggedFailure.RunAsync<MongoAuthenticationException>(mode,
            GssapiEndToEnd.Uri(server, KerberosBackend.UserPassword, options: "&authMechanismProperties=SERVICE_NAME:nosuchservice"));

        LogAssert.FailureLoggedWithoutSecrets(logger, KerberosBackend.UserPassword);
    }

    [Theory, BothModes]
    public async Task A_server_that_refuses_midway_logs_no_password_or_token(Mode mode)
    {
        await using var server = await Reference.GssapiReferenceTests.StartAsync();
        server.ConfigureFailPoint(new MongoAuth.TestServer.FailPoints.FailCommand { Commands = ["saslContinue"], Times = 1, ErrorCode = 18 });

        var logger = await LoggedFailure.RunAsync<MongoAuthenticationException>(mode, GssapiEndToEnd.Uri(server, KerberosBackend.UserPassword));

        LogAssert.FailureLoggedWithoutSecrets(logger, KerberosBackend.UserPassword);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 201 && (int?)e.Value("ServerCode") == 18);
    }
}
