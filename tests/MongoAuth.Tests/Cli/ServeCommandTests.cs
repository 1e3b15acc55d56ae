using System.Text;
using System.Text.RegularExpressions;
using MongoAuth.Cli.Commands;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Cli;

/// <summary>
/// <c>mongoauth serve</c>: its options, and the ready lines it prints, which a client uses as printed (with the password
/// put in place of <c>&lt;password&gt;</c>) in both modes.
/// </summary>
public sealed partial class ServeCommandTests
{
    [Fact]
    public void A_user_takes_roles_after_the_last_colon_and_otherwise_keeps_colons_in_the_password()
    {
        var user = ServeOptions.ParseUser("alice:pa:ss:readWrite@app,read@reporting");
        Assert.Equal(("alice", "pa:ss"), (user.Name, user.Password));
        Assert.Equal(["readWrite@app", "read@reporting"], user.Roles.Select(r => $"{r.Role}@{r.Db}"));

        var plain = ServeOptions.ParseUser("bob:pa:ss");
        Assert.Equal("pa:ss", plain.Password);
        Assert.Equal(["root@admin"], plain.Roles.Select(r => $"{r.Role}@{r.Db}"));

        Assert.Equal("p@ss", ServeOptions.ParseUser("carol:p@ss").Password);
    }

    [Theory]
    [InlineData("--prot 1", "unknown option '--prot'")]
    [InlineData("--port", "--port needs a value")]
    [InlineData("--port 70000", "--port must be a number")]
    [InlineData("--user alice", "--user takes NAME:PASSWORD")]
    [InlineData("--x509-user CN=a", "--x509-user needs --tls-client-ca")]
    [InlineData("--gssapi-user alice@EXAMPLE.COM", "--keytab and --gssapi-user go together")]
    [InlineData("--gssapi-user alice", "--gssapi-user takes a principal with its realm")]
    [InlineData("--ldap-servers 127.0.0.1:1", "--ldap-servers and --ldap-query-template go together")]
    [InlineData("--tls-client-ca /no/such/ca.pem", "--tls-client-ca: no file")]
    public void Bad_options_are_named(string args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ServeOptions.Parse(args.Split(' ')));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_lists_every_option()
    {
        foreach (var option in new[] { "--port", "--no-tls", "--user", "--tls-client-ca", "--x509-user", "--plain-user", "--ldap-servers", "--keytab", "--gssapi-user" })
        {
            Assert.Contains(option, ServeCommand.Usage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Mode.Sync, true)]
    [InlineData(Mode.Async, true)]
    [InlineData(Mode.Sync, false)]
    [InlineData(Mode.Async, false)]
    public async Task The_printed_SCRAM_and_PLAIN_lines_connect_once_the_password_is_filled_in(Mode mode, bool tls)
    {
        string[] args = ["--port", "0", "--user", "alice:Al1ce-Secret:readWrite@app", "--plain-user", "pat:Pat-Secret-9", .. tls ? Array.Empty<string>() : ["--no-tls"]];
        await using var serve = await RunningServe.StartAsync(args);

        var scram = serve.Line("SCRAM user alice").Replace("<password>", "Al1ce-Secret", StringComparison.Ordinal);
        var plain = serve.Line("PLAIN user pat").Replace("<password>", "Pat-Secret-9", StringComparison.Ordinal);
        Assert.Equal(tls, scram.Contains("tls=true&tlsCAFile=", StringComparison.Ordinal));
        Assert.DoesNotContain("Al1ce-Secret", serve.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Pat-Secret-9", serve.Output, StringComparison.Ordinal);

        await using (var client = new MongoClient(scram))
        {
            Assert.Equal("alice@admin [readWrite@app]", (await client.GetConnectionStatusIn(mode)).ToString());
        }
        await using (var client = new MongoClient(plain))
        {
            Assert.Equal("pat@$external [root@admin]", (await client.GetConnectionStatusIn(mode)).ToString());
        }
    }

    [Fact]
    public async Task Without_a_user_a_demo_user_is_made_and_its_password_printed_once()
    {
        await using var serve = await RunningServe.StartAsync(["--port", "0"]);

        var password = DemoPassword().Match(serve.Output).Groups[1].Value;
        var uri = serve.Line("SCRAM user demo").Replace("<password>", password, StringComparison.Ordinal);
        await using var client = new MongoClient(uri);

        Assert.Equal("demo@admin [root@admin]", (await client.GetConnectionStatusAsync()).ToString());
        Assert.Equal(1, Regex.Count(serve.Output, Regex.Escape(password)));
    }

    [Fact]
    public async Task A_port_in_use_is_a_usage_error_that_suggests_another()
    {
        await using var first = await RunningServe.StartAsync(["--port", "0"]);
        var port = first.Port;
        var output = new StringWriter();

        var exit = await ServeCommand.RunAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], output, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains($"port {port} is in use", output.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("password printed once: (\\S+)")]
    private static partial Regex DemoPassword();
}

/// <summary>Runs <see cref="ServeCommand"/> in the background until disposed; reads its output.</summary>
internal sealed partial class RunningServe : IAsyncDisposable
{
    private readonly StringBuilder _buffer = new();
    private readonly TextWriter _writer;
    private readonly CancellationTokenSource _stop = new();
    private Task<int> _run = Task.FromResult(0);

    private RunningServe() => _writer = TextWriter.Synchronized(new StringWriter(_buffer));

    public string Output
    {
        get
        {
            lock (_writer)
            {
                return _buffer.ToString();
            }
        }
    }

    public int Port => int.Parse(PortPattern().Match(Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<RunningServe> StartAsync(IReadOnlyList<string> args)
    {
        var serve = new RunningServe();
        serve._run = Task.Run(() => ServeCommand.RunAsync(args, serve._writer, serve._stop.Token));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!serve.Output.Contains("ready; Ctrl+C stops", StringComparison.Ordinal))
        {
            if (serve._run.IsCompleted || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"serve did not become ready:\n{serve.Output}");
            }
            await Task.Delay(50);
        }
        return serve;
    }

    /// <summary>The connection string printed under the line starting with <paramref name="heading"/>.</summary>
    public string Line(string heading)
    {
        var lines = Output.Split('\n', StringSplitOptions.TrimEntries);
        var index = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no '{heading}' in:\n{Output}");
        return lines[index + 1];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Assert.Equal(0, await _run);
        _stop.Dispose();
    }

    [GeneratedRegex("listening on localhost:(\\d+)")]
    private static partial Regex PortPattern();
}
