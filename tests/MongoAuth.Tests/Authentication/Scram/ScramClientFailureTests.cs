using MongoAuth.Authentication;
using MongoAuth.Authentication.Scram;
using static MongoAuth.Tests.Authentication.Scram.ScramTestSupport;

namespace MongoAuth.Tests.Authentication.Scram;

// Client-side refusals, driven with crafted server payloads from the RFC 7677 conversation.
public sealed class ScramClientFailureTests
{
    private const string Password = "pencil";
    private const string ClientNonce = "rOprNGfwEbeRWgbNEkqO";
    private const string ServerNonce = ClientNonce + "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string ServerFirst = "r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    [Theory]
    [InlineData("r=" + ServerNonce + ",i=4096", "no 's=' attribute")]
    [InlineData("s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "no 'r=' attribute")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==", "no 'i=' attribute")]
    [InlineData("r=" + ServerNonce + ",s=not*base64,i=4096", "not valid base64")]
    [InlineData("r=" + ServerNonce + ",s=,i=4096", "salt is empty")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-5", "not a positive number")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999", "99,999,999,999 PBKDF2 iterations, more than this client's limit of 1,000,000")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000001", "MaxScramIterationCount")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=9999999999999999999999", "no iteration count is that large")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=+5000", "not a positive number")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", "not a positive number")]
    [InlineData("m=ext,r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "extension")]
    [InlineData(ServerFirst + ",r=again", "repeats the attribute 'r'")]
    [InlineData("garbage", "not a list")]
    [InlineData("r=someoneElsesNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "does not extend the client's nonce")]
    [InlineData("r=" + ClientNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "does not extend the client's nonce")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000", "1000 iterations, fewer than the minimum of 4096")]
    [InlineData("r=" + ServerNonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095", "fewer than the minimum")]
    public async Task Bad_server_first_is_refused(string serverFirst, string reason)
    {
        ISaslStep finalStep = await FinalStepAsync();

        var exception = await Assert.ThrowsAsync<MongoAuthenticationException>(
            async () => await finalStep.ExecuteAsync(Bytes(serverFirst), default));

        AssertNamesEverythingButThePassword(exception, "server-first message");
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_first_that_is_not_utf8_is_refused()
    {
        ISaslStep finalStep = await FinalStepAsync();

        var exception = await Assert.ThrowsAsync<MongoAuthenticationException>(
            async () => await finalStep.ExecuteAsync(new byte[] { 0x72, 0x3D, 0xFF, 0xFE }, default));

        Assert.Contains("not valid UTF-8", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", "signature is wrong")]
    [InlineData("v=AAAA", "signature is wrong")]
    [InlineData("v=@@@", "not valid base64")]
    [InlineData("x=1", "no 'v=' attribute")]
    [InlineData("e=invalid-proof", "the server reported 'invalid-proof'")]
    [InlineData("", "not a list")]
    public async Task Bad_server_final_is_refused(string serverFinal, string reason)
    {
        ISaslStep finalStep = await FinalStepAsync();
        SaslStepResult final = await finalStep.ExecuteAsync(Bytes(ServerFirst), default);

        var exception = await Assert.ThrowsAsync<MongoAuthenticationException>(
            async () => await final.Next!.ExecuteAsync(Bytes(serverFinal), default));

        AssertNamesEverythingButThePassword(exception, "server-final message");
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_SASLprep_refuses_fails_the_conversation_without_showing_it()
    {
        var mechanism = Sha256(Credential("user", "bad\u0007password", source: "app"), ClientNonce);
        SaslStepResult first = await mechanism.CreateFirstStep(ClientContext).ExecuteAsync(ReadOnlyMemory<byte>.Empty, default);

        var exception = await Assert.ThrowsAsync<MongoAuthenticationException>(
            async () => await first.Next!.ExecuteAsync(Bytes(ServerFirst), default));

        Assert.Contains("SCRAM-SHA-256 authentication of user 'user' on database 'app'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("prohibited character", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password\u0007", exception.Message + exception.InnerException?.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bad", exception.Message + exception.InnerException?.Message, StringComparison.Ordinal);
        Assert.Equal(0, mechanism.KeyCache.DerivationCount);
    }

    [Fact]
    public void Credential_without_password_or_user_or_with_properties_is_refused_when_the_client_is_built()
    {
        Assert.Throws<MongoConfigurationException>(() => new ScramSha256Mechanism(new MongoCredential(null, null, "user", null, null)));
        Assert.Throws<MongoConfigurationException>(() => new ScramSha1Mechanism(new MongoCredential(null, null, null, "pw", null)));
        Assert.Throws<MongoConfigurationException>(() => new ScramSha1Mechanism(new MongoCredential(null, null, "", "pw", null)));
        var withProperties = new MongoCredential(
            "SCRAM-SHA-256", null, "user", "pw",
            System.Collections.Immutable.ImmutableDictionary<string, object>.Empty.Add("SERVICE_NAME", "x"));
        var exception = Assert.Throws<MongoConfigurationException>(() => new ScramSha256Mechanism(withProperties));
        Assert.Equal("authMechanismProperties", exception.OptionName);
    }

    [Fact]
    public void Source_defaults_to_admin_and_speculation_is_always_possible()
    {
        var defaulted = new ScramSha256Mechanism(Credential("user", Password));
        var explicitSource = new ScramSha1Mechanism(Credential("user", Password, source: "app"));

        Assert.Equal("admin", defaulted.Source);
        Assert.Equal("app", explicitSource.Source);
        Assert.True(defaulted.CanSpeculate);
        Assert.IsAssignableFrom<ISpeculativeSaslMechanism>(explicitSource);
    }

    [Fact]
    public async Task Each_conversation_uses_a_fresh_nonce_by_default()
    {
        var mechanism = new ScramSha256Mechanism(Credential("user", Password));

        SaslStepResult first = await mechanism.CreateFirstStep(ClientContext).ExecuteAsync(ReadOnlyMemory<byte>.Empty, default);
        SaslStepResult second = await mechanism.CreateFirstStep(ClientContext).ExecuteAsync(ReadOnlyMemory<byte>.Empty, default);

        Assert.StartsWith("n,,n=user,r=", Utf8(first.Payload), StringComparison.Ordinal);
        Assert.NotEqual(Utf8(first.Payload), Utf8(second.Payload));
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_step()
    {
        ISaslStep finalStep = await FinalStepAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await finalStep.ExecuteAsync(Bytes(ServerFirst), new CancellationToken(canceled: true)));
    }

    private static async Task<ISaslStep> FinalStepAsync()
    {
        var mechanism = Sha256(Credential("user", Password), ClientNonce);
        SaslStepResult first = await mechanism.CreateFirstStep(ClientContext).ExecuteAsync(ReadOnlyMemory<byte>.Empty, default);
        return first.Next!;
    }

    private static void AssertNamesEverythingButThePassword(MongoAuthenticationException exception, string step)
    {
        Assert.Equal("SCRAM-SHA-256", exception.Mechanism);
        Assert.Contains("SCRAM-SHA-256 authentication of user 'user' on database 'admin' failed at the " + step, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, exception.ToString(), StringComparison.Ordinal);
    }
}
