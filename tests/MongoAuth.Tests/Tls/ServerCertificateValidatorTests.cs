using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Connections.Tls;
using MongoAuth.TestServer.Pki;

namespace MongoAuth.Tests.Tls;

/// <summary>The validator called directly, with the certificates a server would send.</summary>
[Collection(PkiCollection.Name)]
public sealed class ServerCertificateValidatorTests(PkiFixture fixture)
{
    private readonly TestPki _pki = fixture.Pki;

    private MongoTlsSettings Trusting => new() { CAFile = _pki.CAFile };

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void Trusted_chain_for_a_named_host_passes(string host)
    {
        Assert.Null(Check(Trusting, host, _pki.Server));
    }

    [Fact]
    public void Ca_file_of_another_ca_fails_the_chain_check_and_names_the_fix()
    {
        var failure = Check(new MongoTlsSettings { CAFile = _pki.OtherCAFile }, "localhost", _pki.Server);

        Assert.Equal(ServerCertificateCheck.Chain, failure?.Check);
        Assert.Contains("chain check failed", failure!.Message);
        Assert.Contains("the system store is not used", failure.Message);
        Assert.Contains("tlsCAFile", failure.Message);
        Assert.Contains("tlsAllowInvalidCertificates=true", failure.Message);
    }

    [Fact]
    public void Ca_file_is_the_only_trust_the_system_store_does_not_know_the_test_root()
    {
        var failure = Check(new MongoTlsSettings(), "localhost", _pki.Server);

        Assert.Equal(ServerCertificateCheck.Chain, failure?.Check);
        Assert.Contains("the system trust store", failure!.Message);
    }

    [Fact]
    public void Roots_from_code_work_like_a_ca_file()
    {
        Assert.Null(Check(new MongoTlsSettings { TrustedRoots = [_pki.Root.Certificate] }, "localhost", _pki.Server));
    }

    [Fact]
    public void Missing_intermediate_fails_the_chain_check()
    {
        var failure = new ServerCertificateValidator(Trusting, "localhost").Check(_pki.Server.Certificate, []);

        Assert.Equal(ServerCertificateCheck.Chain, failure?.Check);
        Assert.Contains("PartialChain", failure!.Message);
    }

    [Fact]
    public void Expired_server_certificate_fails_the_validity_check()
    {
        var failure = Check(Trusting, "localhost", _pki.ExpiredServer);

        Assert.Equal(ServerCertificateCheck.Expiry, failure?.Check);
        Assert.Contains("validity check failed", failure!.Message);
        Assert.Contains("tlsAllowInvalidCertificates=true", failure.Message);
    }

    [Fact]
    public void Host_name_mismatch_lists_the_certificate_names_and_the_option()
    {
        var failure = Check(Trusting, "db.example.com", _pki.Server);

        Assert.Equal(ServerCertificateCheck.HostName, failure?.Check);
        Assert.Contains("issued for localhost, 127.0.0.1, ::1, not 'db.example.com'", failure!.Message);
        Assert.Contains("tlsAllowInvalidHostnames=true", failure.Message);
    }

    [Fact]
    public void Allow_invalid_hostnames_turns_off_only_the_host_name_check()
    {
        var settings = Trusting with { AllowInvalidHostnames = true };

        Assert.Null(Check(settings, "db.example.com", _pki.Server));
        Assert.Equal(ServerCertificateCheck.Expiry, Check(settings, "db.example.com", _pki.ExpiredServer)?.Check);
    }

    [Fact]
    public void Allow_invalid_certificates_turns_off_chain_validity_and_revocation_but_not_the_host_name()
    {
        var settings = new MongoTlsSettings { CAFile = _pki.OtherCAFile, AllowInvalidCertificates = true };
        var validator = new ServerCertificateValidator(settings, "localhost");

        Assert.Null(Check(settings, "localhost", _pki.ExpiredServer));
        Assert.Equal(X509RevocationMode.NoCheck, validator.RevocationMode);
        Assert.Equal(ServerCertificateCheck.HostName, Check(settings, "db.example.com", _pki.Server)?.Check);
    }

    [Fact]
    public void Insecure_turns_off_every_server_certificate_check()
    {
        var settings = new MongoTlsSettings { CAFile = _pki.OtherCAFile, Insecure = true };
        var validator = new ServerCertificateValidator(settings, "db.example.com");

        Assert.Null(Check(settings, "db.example.com", _pki.ExpiredServer));
        Assert.False(validator.ChecksChain);
        Assert.False(validator.ChecksHostName);
        Assert.Equal(X509RevocationMode.NoCheck, validator.RevocationMode);
    }

    [Fact]
    public void Revoked_certificate_is_found_online_through_its_crl_distribution_point()
    {
        var failure = Check(Trusting with { AllowInvalidHostnames = true }, "localhost", _pki.RevokedClient);

        Assert.Equal(ServerCertificateCheck.Revocation, failure?.Check);
        Assert.Contains("is revoked", failure!.Message);
        Assert.Contains("tlsDisableCertificateRevocationCheck=true", failure.Message);
        // The PKI's CRL URIs are new for this run, so the platform cache cannot have answered without a download.
        Assert.True(_pki.CrlServer.Downloads > 0, "the online check should have fetched the CRL over loopback");
    }

    [Fact]
    public void Disabled_revocation_check_accepts_a_revoked_certificate_without_any_download()
    {
        var settings = Trusting with { AllowInvalidHostnames = true, DisableCertificateRevocationCheck = true };
        var downloadsBefore = _pki.CrlServer.Downloads;

        Assert.Null(Check(settings, "localhost", _pki.RevokedClient));
        Assert.Equal(downloadsBefore, _pki.CrlServer.Downloads);
    }

    [Fact]
    public void Disabled_ocsp_endpoint_check_uses_only_cached_crls_and_never_downloads()
    {
        var settings = Trusting with { AllowInvalidHostnames = true, DisableOcspEndpointCheck = true };
        var validator = new ServerCertificateValidator(settings, "localhost");
        Check(Trusting with { AllowInvalidHostnames = true }, "localhost", _pki.RevokedClient);
        var downloadsBefore = _pki.CrlServer.Downloads;

        var failure = validator.Check(_pki.RevokedClient.Certificate, [_pki.Intermediate.Certificate]);

        Assert.Equal(X509RevocationMode.Offline, validator.RevocationMode);
        Assert.Equal(ServerCertificateCheck.Revocation, failure?.Check);
        Assert.Equal(downloadsBefore, _pki.CrlServer.Downloads);
    }

    [Fact]
    public void Unreachable_revocation_information_soft_fails()
    {
        // The unrelated CA names no CRL distribution point, so the online check cannot learn the status.
        var settings = new MongoTlsSettings { CAFile = _pki.OtherCAFile, AllowInvalidHostnames = true };

        Assert.Null(new ServerCertificateValidator(settings, "localhost").Check(_pki.OtherCaClient.Certificate, []));
    }

    [Fact]
    public void No_server_certificate_is_refused_by_the_callback()
    {
        var validator = new ServerCertificateValidator(Trusting, "localhost");

        Assert.False(validator.Validate(null, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.Equal(ServerCertificateCheck.Presence, validator.Failure?.Check);
    }

    [Fact]
    public void Callback_ignores_the_platform_verdict_and_records_the_last_outcome()
    {
        var validator = new ServerCertificateValidator(Trusting, "localhost");
        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.Add(_pki.Intermediate.Certificate);

        Assert.False(validator.Validate(null, _pki.ExpiredServer.Certificate, chain, SslPolicyErrors.None));
        Assert.Equal(ServerCertificateCheck.Expiry, validator.Failure?.Check);
        Assert.True(validator.Validate(null, _pki.Server.Certificate, chain, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Null(validator.Failure);
    }

    private static ServerCertificateFailure? Check(MongoTlsSettings settings, string host, PkiIdentity server) =>
        new ServerCertificateValidator(settings, host).Check(server.Certificate, [.. server.Intermediates]);
}
