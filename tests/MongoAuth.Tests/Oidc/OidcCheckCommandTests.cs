using MongoAuth.Authentication.Oidc;
using MongoAuth.Cli.Commands;

namespace MongoAuth.Tests.Oidc;

/// <summary>
/// <c>mongoauth check</c> with MONGODB-OIDC says where the token came from (the callback, the ENVIRONMENT and its
/// token file) and when it expires, and never prints the token, on success and on failure.
/// </summary>
public sealed class OidcCheckCommandTests
{
    [Fact]
    public async Task Check_names_the_token_file_of_ENVIRONMENT_test_and_the_expiry_from_the_exp_claim()
    {
        await using var server = await OidcTestServer.StartAsync();
        var token = server.Token(TimeSpan.FromMinutes(30));
        var host = LoopbackSeam.Host(new Dictionary<string, string> { ["OIDC_TOKEN_FILE"] = "/run/secrets/mongo-token" },
            new Dictionary<string, string> { ["/run/secrets/mongo-token"] = token });
        using var output = new StringWriter();

        var exit = await CheckCommand.ConnectAsync(server.EnvironmentSettings("ENVIRONMENT:test", host), output, CancellationToken.None);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("OIDC token from: ENVIRONMENT:test, token file /run/secrets/mongo-token", text, StringComparison.Ordinal);
        Assert.Matches(@"OIDC token expiry: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in (29|30) min\) \(the token's exp claim", text);
        Assert.Contains($"authenticated as {OidcTestServer.User}", text, StringComparison.Ordinal);
        AssertNoTokenIn(text, token);
    }

    [Fact]
    public async Task Check_names_the_callback_and_the_lifetime_it_gave()
    {
        await using var server = await OidcTestServer.StartAsync();
        var token = server.Token();
        var callback = new RecordingCallback((_, _) => new OidcToken(token, TimeSpan.FromMinutes(10)));
        using var output = new StringWriter();

        var exit = await CheckCommand.ConnectAsync(server.Settings(callback), output, CancellationToken.None);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains($"OIDC token from: OIDC_CALLBACK ({typeof(RecordingCallback).FullName})", text, StringComparison.Ordinal);
        Assert.Matches(@"OIDC token expiry: .* UTC \(in (9|10) min\) \(the lifetime the source gave\)", text);
        AssertNoTokenIn(text, token);
    }

    [Fact]
    public async Task Check_names_the_source_when_the_server_refuses_the_token_and_still_prints_no_token()
    {
        await using var server = await OidcTestServer.StartAsync();
        var token = server.Issuer.CreateToken(OidcTestServer.User, audience: "api://someone-else");
        var callback = new RecordingCallback((_, _) => new OidcToken(token));
        using var output = new StringWriter();

        var exit = await CheckCommand.ConnectAsync(server.Settings(callback), output, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(1, exit);
        Assert.Contains("OIDC token from: OIDC_CALLBACK", text, StringComparison.Ordinal);
        Assert.Contains("FAILED", text, StringComparison.Ordinal);
        AssertNoTokenIn(text, token);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public void A_token_without_a_readable_exp_claim_has_no_expiry(string token) =>
        Assert.Null(CredentialSourceWatch.ExpiryClaim(token));

    private static void AssertNoTokenIn(string text, string token)
    {
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        // Not even a part of it: the signature and the claims are what a leak would show.
        foreach (var part in token.Split('.'))
        {
            Assert.DoesNotContain(part, text, StringComparison.Ordinal);
        }
    }
}
