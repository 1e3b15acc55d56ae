using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.X509;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.Tls;
using MongoDB.Bson;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>MONGODB-X509 through our <see cref="MongoClient"/> against the test server, from connection strings and code.</summary>
[Collection(PkiCollection.Name)]
public sealed class X509AuthenticationTests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    public static TheoryData<Mode, string, string> KeyFiles()
    {
        var data = new TheoryData<Mode, string, string>();
        foreach (var mode in new[] { Mode.Sync, Mode.Async })
        {
            foreach (var key in new[] { "rsa", "ec" })
            {
                foreach (var format in new[] { "traditional", "pkcs8", "encrypted", "p12" })
                {
                    data.Add(mode, key, format);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KeyFiles))]
    public async Task A_connection_string_with_a_certificate_key_file_authenticates_as_the_rfc2253_subject(Mode mode, string key, string format)
    {
        var identity = key == "rsa" ? Pki.ClientRsa : Pki.ClientEc;
        var (file, needsPassword) = format switch
        {
            "traditional" => (identity.TraditionalPemFile, false),
            "pkcs8" => (identity.Pkcs8PemFile, false),
            "encrypted" => (identity.EncryptedPkcs8PemFile, true),
            _ => (identity.Pkcs12File, true),
        };
        await using var server = await X509TestServer.StartAsync(Pki);
        string[] password = needsPassword ? ["tlsCertificateKeyFilePassword=" + Uri.EscapeDataString(Pki.Password)] : [];
        await using var client = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, file, options: password));

        var identitySeen = await X509TestServer.IdentityAsync(mode, client);

        Assert.Equal(X509TestServer.External(identity), identitySeen);
        Assert.StartsWith("CN=client-", identity.Subject, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task Authentication_rides_in_the_handshake_without_a_separate_authenticate_command(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);
        var recorder = Record(server);
        await using var client = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, Pki.ClientEc.Pkcs8PemFile));

        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));
        var identity = await X509TestServer.IdentityAsync(mode, client);

        Assert.Equal(X509TestServer.External(Pki.ClientEc), identity);
        Assert.Equal(0, server.Statistics.CommandsReceived("authenticate"));
        Assert.Equal(server.Statistics.ConnectionsAccepted, server.Statistics.CommandsReceived("isMaster"));
        var speculative = Assert.Single(recorder.Commands.Distinct());
        // No user name configured: none is sent, and the server takes the certificate's subject.
        Assert.Equal(new BsonDocument { { "authenticate", 1 }, { "mechanism", "MONGODB-X509" }, { "db", "$external" } }, speculative);
    }

    [Theory, BothModes]
    public async Task A_user_name_that_is_the_subject_is_sent_and_accepted(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);
        var recorder = Record(server);
        await using var client = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, Pki.ClientRsa.Pkcs8PemFile)
            .Replace("mongodb://", $"mongodb://{Uri.EscapeDataString(Pki.ClientRsa.Subject)}@", StringComparison.Ordinal));

        var identity = await X509TestServer.IdentityAsync(mode, client);

        Assert.Equal(X509TestServer.External(Pki.ClientRsa), identity);
        Assert.All(recorder.Commands, c => Assert.Equal(Pki.ClientRsa.Subject, c["user"].AsString));
        Assert.Equal(0, server.Statistics.CommandsReceived("authenticate"));
    }

    [Theory, BothModes]
    public async Task A_certificate_from_code_loaded_from_pkcs12_authenticates_in_both_modes(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Pki.ClientEc.Pkcs12File, Pki.Password);
        var settings = new MongoClientSettings
        {
            Servers = [new MongoServerAddress("localhost", server.Port)],
            UseTls = true,
            Tls = new MongoTlsSettings { TrustedRoots = [Pki.Root.Certificate], ClientCertificates = [certificate, Pki.Intermediate.Certificate] },
            Credential = MongoCredential.CreateMongoX509Credential(),
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
        };
        await using var client = new MongoClient(settings);

        var status = await client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument("connectionStatus", 1));

        Assert.Equal(Pki.ClientEc.Subject, status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        Assert.Equal("readWrite", status["authInfo"]["authenticatedUserRoles"][0]["role"].AsString);
    }

    [Theory, BothModes]
    public async Task A_user_name_that_does_not_match_the_certificate_fails_with_code_18(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);
        var other = Uri.EscapeDataString(Pki.ClientRsa.Subject);
        await using var client = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, Pki.ClientEc.Pkcs8PemFile)
            .Replace("mongodb://", $"mongodb://{other}@", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Equal("MONGODB-X509", error.Mechanism);
        Assert.Contains($"'{Pki.ClientRsa.Subject}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no x.509 client certificate matching the user", error.Message, StringComparison.Ordinal);
        // The speculative attempt failed silently inside hello; the explicit authenticate then got the error.
        Assert.Equal(1, server.Statistics.CommandsReceived("authenticate"));
        Assert.Equal(0, server.Statistics.CommandsReceived("ping"));
    }

    [Theory, BothModes]
    public async Task A_certificate_whose_subject_is_no_user_fails_with_code_18(Mode mode)
    {
        await using var server = await X509TestServer.StartAsync(Pki);
        server.Users.Remove("$external", Pki.ClientEc.Subject);
        await using var client = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, Pki.ClientEc.Pkcs8PemFile));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Contains("(no user name)", error.Message, StringComparison.Ordinal);
        Assert.Contains("$external", error.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 2253 subject", error.Message, StringComparison.Ordinal); // the X.509 hint, not a password hint
        Assert.DoesNotContain("password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Without_a_client_certificate_the_client_is_not_built_and_the_option_is_named()
    {
        var error = Assert.Throws<MongoConfigurationException>(() =>
            new MongoClient($"mongodb://localhost:27017/?tls=true&tlsCAFile={Uri.EscapeDataString(Pki.CAFile)}&authMechanism=MONGODB-X509"));

        Assert.Equal("tlsCertificateKeyFile", error.OptionName);
        Assert.Contains("MONGODB-X509 needs a client certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_tls_the_client_is_not_built()
    {
        var error = Assert.Throws<MongoConfigurationException>(() =>
            new MongoClient($"mongodb://localhost:27017/?tlsCertificateKeyFile={Uri.EscapeDataString(Pki.ClientEc.Pkcs8PemFile)}&authMechanism=MONGODB-X509"));

        Assert.Equal("tls", error.OptionName);
        Assert.Contains("tls=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_is_a_configuration_error_that_does_not_show_it()
    {
        var uri = $"mongodb://{Uri.EscapeDataString(Pki.ClientEc.Subject)}:hunter2-secret@localhost:27017/?tls=true" +
            $"&tlsCertificateKeyFile={Uri.EscapeDataString(Pki.ClientEc.Pkcs8PemFile)}&authMechanism=MONGODB-X509";

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(uri));

        Assert.Equal("password", error.OptionName);
        Assert.Contains("MONGODB-X509 takes no password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error.ToString(), StringComparison.Ordinal);
    }

    private static RecordingHandler Record(MongoTestServer server)
    {
        var recorder = new RecordingHandler(new X509ServerHandler(server.Users));
        server.RegisterAuthenticateHandler(recorder);
        return recorder;
    }

    /// <summary>Records every authenticate command (speculative or not) the real handler receives.</summary>
    private sealed class RecordingHandler(IServerAuthenticateHandler inner) : IServerAuthenticateHandler
    {
        private readonly ConcurrentQueue<BsonDocument> _commands = new();

        public IReadOnlyList<BsonDocument> Commands => [.. _commands];

        public string Name => inner.Name;

        public AuthenticatedUser Authenticate(ServerAuthenticateContext context)
        {
            var command = context.Command.DeepClone().AsBsonDocument;
            command.Remove("$db");
            _commands.Enqueue(command);
            return inner.Authenticate(context);
        }
    }
}
