using MongoAuth.Cli.Commands;

namespace MongoAuth.Tests.Cli;

/// <summary>
/// <c>mongoauth check</c> against the dev server: option typos are printed, and failures carry a hint for the common
/// misconfigurations (TLS off against a TLS server, no client certificate, the wrong authSource).
/// </summary>
public sealed class CheckCommandTests
{
    private static async Task<(int Exit, string Output)> CheckAsync(string uri)
    {
        var output = new StringWriter();
        var exit = await CheckCommand.RunAsync([uri], output, CancellationToken.None);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task A_misspelled_tls_option_is_printed_and_the_failure_says_the_server_expects_TLS()
    {
        await using var serve = await RunningServe.StartAsync(["--port", "0", "--user", "alice:Al1ce-Secret"]);

        var (exit, output) = await CheckAsync($"mongodb://alice:Al1ce-Secret@localhost:{serve.Port}/?authSource=admin&tlss=true&serverSelectionTimeoutMS=5000");

        Assert.Equal(1, exit);
        Assert.Contains("WARNING tlss is not a known option and was ignored; did you mean tls?", output, StringComparison.Ordinal);
        Assert.Contains("HINT    the server expects TLS: add tls=true", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Al1ce-Secret", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_requires_a_client_certificate_gets_a_hint_to_set_one()
    {
        using var ca = Support.TestCertificates.Create("localhost");
        await using var serve = await RunningServe.StartAsync(["--port", "0", "--user", "alice:Al1ce-Secret", "--tls-client-ca", ca.CaFile]);
        var uri = serve.Line("SCRAM user alice").Replace("<password>", "Al1ce-Secret", StringComparison.Ordinal)
            .Replace("&tlsCertificateKeyFile=<client.pem>", "&serverSelectionTimeoutMS=5000", StringComparison.Ordinal);

        var (exit, output) = await CheckAsync(uri);

        Assert.Equal(1, exit);
        Assert.Contains("if it requires a client certificate, set tlsCertificateKeyFile=<client.pem>", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_looked_up_in_the_path_database_gets_a_hint_to_add_authSource_admin()
    {
        await using var serve = await RunningServe.StartAsync(["--port", "0", "--user", "alice:Al1ce-Secret"]);
        var uri = serve.Line("SCRAM user alice").Replace("<password>", "Al1ce-Secret", StringComparison.Ordinal)
            .Replace("/?authSource=admin&", "/app?", StringComparison.Ordinal);

        var (exit, output) = await CheckAsync(uri);

        Assert.Equal(1, exit);
        Assert.Contains("HINT    the user is looked up in 'app', the database in the connection string's path, because authSource is not set", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_working_connection_has_no_hint_and_reports_the_identity()
    {
        await using var serve = await RunningServe.StartAsync(["--port", "0", "--user", "alice:Al1ce-Secret:readWrite@app"]);

        var (exit, output) = await CheckAsync(serve.Line("SCRAM user alice").Replace("<password>", "Al1ce-Secret", StringComparison.Ordinal));

        Assert.Equal(0, exit);
        Assert.Contains("OK      authenticated as alice@admin [readWrite@app]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("HINT", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);
    }
}
