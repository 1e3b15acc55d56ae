using System.Security.Cryptography.X509Certificates;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Pki;
using MongoAuth.Tests.EndToEnd;
using MongoAuth.Tests.Tls;
using Official = MongoDB.Driver;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Reference;

/// <summary>
/// The official MongoDB.Driver authenticates with MONGODB-X509 against the test server with the same PKCS#12
/// certificate as our client, and both see the same identity: the certificate's RFC 2253 subject in <c>$external</c>.
/// </summary>
[Collection(PkiCollection.Name)]
public sealed class X509ReferenceTests(PkiFixture fixture)
{
    private TestPki Pki => fixture.Pki;

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public async Task The_official_driver_and_ours_see_the_same_x509_identity(string key)
    {
        var identity = key == "rsa" ? Pki.ClientRsa : Pki.ClientEc;
        // The official driver sends only the leaf (it cannot find our intermediate in a store), so this server
        // trusts the intermediate as well, as a mongod whose tlsCAFile bundles intermediate and root would.
        await using var server = await X509TestServer.StartAsync(Pki, clientTrust: [Pki.Root.Certificate, Pki.Intermediate.Certificate]);
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(identity.Pkcs12File, Pki.Password);
        using var official = ConnectOfficial(server, certificate);
        await using var ours = new MongoClient(X509TestServer.ConnectionString(server, Pki.CAFile, identity.Pkcs12File,
            options: "tlsCertificateKeyFilePassword=" + Uri.EscapeDataString(Pki.Password)));

        var theirs = await OfficialDriver.IdentityAsync(official);
        var mine = await X509TestServer.IdentityAsync(Mode.Async, ours);

        Assert.Equal(theirs, mine);
        Assert.Equal(X509TestServer.External(identity), mine);
        Assert.Equal(0, server.Statistics.CommandsReceived("authenticate"));
    }

    [Fact]
    public async Task The_official_driver_is_refused_when_the_subject_is_no_user()
    {
        await using var server = await X509TestServer.StartAsync(Pki, clientTrust: [Pki.Root.Certificate, Pki.Intermediate.Certificate]);
        server.Users.Remove("$external", Pki.ClientEc.Subject);
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Pki.ClientEc.Pkcs12File, Pki.Password);
        using var official = ConnectOfficial(server, certificate);

        var error = await Assert.ThrowsAsync<Official.MongoAuthenticationException>(() => OfficialDriver.RunAsync(official, "ping"));

        Assert.Contains("MONGODB-X509", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("ping"));
    }

    /// <summary>The official driver with the certificate in <c>SslSettings.ClientCertificates</c>, trusting the PKI root.</summary>
    private Official.MongoClient ConnectOfficial(MongoTestServer server, X509Certificate2 certificate)
    {
        var settings = Official.MongoClientSettings.FromConnectionString(
            $"mongodb://localhost:{server.Port}/?tls=true&authMechanism=MONGODB-X509&directConnection=true&serverSelectionTimeoutMS=10000");
        settings.SslSettings = new Official.SslSettings
        {
            ClientCertificates = [certificate],
            ServerCertificateValidationCallback = (_, serverCertificate, _, _) => ChainsToTestRoot(serverCertificate),
        };
        return new Official.MongoClient(settings);
    }

    private bool ChainsToTestRoot(X509Certificate? serverCertificate)
    {
        if (serverCertificate is null)
        {
            return false;
        }
        using var leaf = X509CertificateLoader.LoadCertificate(serverCertificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Pki.Root.Certificate);
        chain.ChainPolicy.ExtraStore.Add(Pki.Intermediate.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
