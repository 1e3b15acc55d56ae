using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Pki;
using MongoDB.Bson;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// Starts the test server as a mongod with <c>--tlsCAFile</c> (the PKI root) and X.509 users: it presents
/// <see cref="TestPki.Server"/> (or another identity) with its intermediate, asks for client certificates, and knows
/// the RSA and EC clients as <c>$external</c> users named by their RFC 2253 subjects. Builds our connection strings.
/// </summary>
internal static class X509TestServer
{
    public static readonly GrantedRole Role = new("readWrite", "app");

    public static async Task<MongoTestServer> StartAsync(
        TestPki pki,
        PkiIdentity? serverIdentity = null,
        ClientCertificateMode mode = ClientCertificateMode.Required,
        bool checkClientCrl = false,
        IPAddress? address = null,
        X509Certificate2Collection? clientTrust = null,
        SslProtocols protocols = SslProtocols.None)
    {
        var identity = serverIdentity ?? pki.Server;
        var server = await MongoTestServer.StartAsync(new TestServerOptions
        {
            Address = address ?? IPAddress.Loopback,
            TlsCertificate = identity.Certificate,
            TlsIntermediates = [.. identity.Intermediates],
            TlsProtocols = protocols,
            ClientCertificates = mode,
            ClientCertificateTrust = clientTrust ?? [pki.Root.Certificate],
            ClientCertificateRevocationLists = checkClientCrl
                ? [CertificateRevocationList.Load(File.ReadAllBytes(pki.IntermediateCrlFile), pki.Intermediate.Certificate)]
                : null,
        }, CancellationToken.None);
        foreach (var client in new[] { pki.ClientRsa, pki.ClientEc, pki.ExpiredClient, pki.RevokedClient, pki.OtherCaClient })
        {
            server.Users.AddExternalUser(client.Subject, [Role]);
        }
        return server;
    }

    /// <summary>
    /// <c>mongodb://host:port/?tls=true&amp;tlsCAFile=…&amp;tlsCertificateKeyFile=…&amp;authMechanism=MONGODB-X509</c>
    /// plus <paramref name="options"/> (already encoded, joined with <c>&amp;</c>).
    /// </summary>
    public static string ConnectionString(MongoTestServer server, string? caFile, string? certificateKeyFile, string host = "localhost", params string[] options)
    {
        List<string> query = ["tls=true", "authMechanism=MONGODB-X509", "serverSelectionTimeoutMS=10000", "connectTimeoutMS=10000"];
        if (caFile is not null)
        {
            query.Add("tlsCAFile=" + Uri.EscapeDataString(caFile));
        }
        if (certificateKeyFile is not null)
        {
            query.Add("tlsCertificateKeyFile=" + Uri.EscapeDataString(certificateKeyFile));
        }
        query.AddRange(options);
        var hostPort = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{server.Port}" : $"{host}:{server.Port}";
        return $"mongodb://{hostPort}/?{string.Join('&', query)}";
    }

    /// <summary>The <c>{user, db}</c> connectionStatus reports, through our client.</summary>
    public static async Task<BsonDocument> IdentityAsync(Mode mode, MongoClient client)
    {
        var status = await client.GetDatabase("admin").RunCommandIn(mode, new BsonDocument("connectionStatus", 1));
        return Assert.Single(status["authInfo"]["authenticatedUsers"].AsBsonArray).AsBsonDocument;
    }

    /// <summary>The identity mongod reports for an X.509 user.</summary>
    public static BsonDocument External(PkiIdentity client) => new() { { "user", client.Subject }, { "db", "$external" } };
}
