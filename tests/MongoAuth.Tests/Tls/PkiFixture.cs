using MongoAuth.TestServer.Pki;

namespace MongoAuth.Tests.Tls;

/// <summary>One generated PKI shared by every TLS test (key generation is the slow part).</summary>
public sealed class PkiFixture : IDisposable
{
    public TestPki Pki { get; } = TestPki.Create();

    public void Dispose() => Pki.Dispose();
}

/// <summary>TLS tests share the PKI and its CRL server and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PkiCollection : ICollectionFixture<PkiFixture>
{
    public const string Name = "Tls";
}
