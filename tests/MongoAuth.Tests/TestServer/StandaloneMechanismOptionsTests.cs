using MongoAuth.TestServer;

namespace MongoAuth.Tests.TestServer;

/// <summary>The standalone server's mechanism options: parsing, PLAIN users end to end, and GSSAPI's keytab rule.</summary>
public sealed class StandaloneMechanismOptionsTests
{
    [Fact]
    public void Mechanism_options_parse_into_their_users_and_client_trust()
    {
        var parsed = StandaloneArguments.Parse(
        [
            "--tls-self-signed", "--tls-client-ca", "root.pem", "--tls-client-ca", "more.pem",
            "--external-user", "CN=client,OU=eng,O=MongoAuth,C=US", "--plain-user", "pat:se:cret", "--plain-user", "kim:pw",
            "--gssapi-user", "alice@EXAMPLE.TEST",
        ]);

        Assert.Equal(["root.pem", "more.pem"], parsed.ClientCaFiles);
        Assert.Equal(["CN=client,OU=eng,O=MongoAuth,C=US"], parsed.ExternalUsers);
        Assert.Equal([new PlainUserArgument("pat", "se:cret"), new PlainUserArgument("kim", "pw")], parsed.PlainUsers);
        Assert.Equal(["alice@EXAMPLE.TEST"], parsed.GssapiUsers);
        Assert.True(parsed.Tls);
    }

    [Theory]
    [InlineData("--plain-user", "nopassword")]
    [InlineData("--plain-user", ":pw")]
    [InlineData("--gssapi-user", "alice")]
    [InlineData("--gssapi-user", "alice@")]
    [InlineData("--external-user", "")]
    [InlineData("--tls-client-ca", "root.pem")]
    [InlineData("--external-user")]
    public void Invalid_mechanism_options_are_refused_without_quoting_a_password(params string[] arguments)
    {
        var error = Assert.Throws<ArgumentException>(() => StandaloneArguments.Parse(arguments));

        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
        Assert.Contains(arguments[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Users_print_without_their_passwords()
    {
        var parsed = StandaloneArguments.Parse(["--plain-user", "pat:hunter2", "--user", "admin:bob:hunter3"]);

        Assert.Equal("pat", parsed.PlainUsers[0].ToString());
        Assert.Equal("bob@admin", parsed.Users[0].ToString());
    }

    [Fact]
    public async Task Plain_users_authenticate_against_external_over_tls()
    {
        using var child = StandaloneProcess.Start(["--tls-self-signed", "--plain-user", "pat:se:cret", "--exit-on-stdin-close"]);
        var port = await child.ReadListeningPortAsync();
        await using var client = new MongoClient(PlainUri(port, "se%3Acret"));

        var status = await client.GetConnectionStatusAsync();

        Assert.Equal(new MongoAuthenticatedUser("pat", "$external"), Assert.Single(status.AuthenticatedUsers));
    }

    [Fact]
    public async Task Plain_users_with_a_wrong_password_are_refused_with_code_18()
    {
        using var child = StandaloneProcess.Start(["--tls-self-signed", "--plain-user", "pat:se:cret", "--exit-on-stdin-close"]);
        var port = await child.ReadListeningPortAsync();
        await using var client = new MongoClient(PlainUri(port, "wrong"));

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetConnectionStatusAsync());

        Assert.Contains("PLAIN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gssapi_users_without_a_keytab_in_the_environment_exit_with_code_2()
    {
        using var child = StandaloneProcess.Start(["--gssapi-user", "alice@EXAMPLE.TEST"], "KRB5_KTNAME");

        var error = await child.Process.StandardError.ReadToEndAsync();

        Assert.Equal(2, await child.WaitForExitAsync());
        Assert.Contains("KRB5_KTNAME", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_certificate_file_exits_with_usage_and_code_2()
    {
        using var child = StandaloneProcess.Start(["--tls-pfx", Path.Combine(Path.GetTempPath(), "no-such-mongoauth.p12")]);

        var error = await child.Process.StandardError.ReadToEndAsync();

        Assert.Equal(2, await child.WaitForExitAsync());
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }

    private static string PlainUri(int port, string password) =>
        $"mongodb://pat:{password}@127.0.0.1:{port}/?authMechanism=PLAIN&authSource=$external&tls=true&tlsInsecure=true&serverSelectionTimeoutMS=10000";
}
