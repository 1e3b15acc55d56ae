using System.Security.Cryptography.X509Certificates;
using MongoAuth.Connections.Tls;

namespace MongoAuth.Tests.Tls;

/// <summary>The per-connection SslStream options: .NET's own chain is cheap and never the verdict; ours is.</summary>
public sealed class TlsClientOptionsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_platform_chain_searches_no_store_and_downloads_nothing_while_the_validator_keeps_every_check(bool insecure)
    {
        var settings = new MongoTlsSettings { Insecure = insecure };
        var tls = new TlsClientOptions(settings);

        var options = tls.Create("db.example.com", out var validator);

        var policy = Assert.IsType<X509ChainPolicy>(options.CertificateChainPolicy);
        Assert.Equal(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.Empty(policy.CustomTrustStore);
        Assert.Equal(X509RevocationMode.NoCheck, policy.RevocationMode);
        Assert.True(policy.DisableCertificateDownloads);
        Assert.NotNull(options.RemoteCertificateValidationCallback);
        Assert.Equal(!insecure, validator.ChecksChain);
        Assert.Equal(!insecure, validator.ChecksHostName);
        Assert.Equal(insecure ? X509RevocationMode.NoCheck : X509RevocationMode.Online, validator.RevocationMode);
    }

    [Fact]
    public void Each_connection_gets_its_own_policy_so_certificates_added_to_one_never_reach_another()
    {
        var tls = new TlsClientOptions(new MongoTlsSettings());

        var first = tls.Create("a.example.com", out _);
        var second = tls.Create("b.example.com", out _);

        Assert.NotSame(first.CertificateChainPolicy, second.CertificateChainPolicy);
        Assert.Equal("b.example.com", second.TargetHost);
    }
}
