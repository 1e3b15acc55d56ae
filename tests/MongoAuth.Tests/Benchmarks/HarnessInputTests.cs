using System.Net;
using MongoAuth.Benchmarks;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Server;

namespace MongoAuth.Tests.Benchmarks;

public sealed class HarnessInputTests
{
    [Theory]
    [InlineData("listening 127.0.0.1:27017", "127.0.0.1", 27017)]
    [InlineData("listening ::1:40001", "::1", 40001)]
    [InlineData("listening [::1]:40001", "::1", 40001)]
    public void The_server_ready_line_gives_its_end_point(string line, string address, int port) =>
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), TestServerProcess.ParseListeningLine(line));

    [Theory]
    [InlineData("")]
    [InlineData("starting")]
    [InlineData("listening")]
    [InlineData("listening 127.0.0.1")]
    [InlineData("listening 127.0.0.1:0")]
    [InlineData("listening 127.0.0.1:70000")]
    [InlineData("listening localhost:27017")]
    [InlineData("Listening 127.0.0.1:27017")]
    public void Other_lines_are_not_the_ready_line(string line) =>
        Assert.Null(TestServerProcess.ParseListeningLine(line));

    [Fact]
    public void Both_drivers_get_one_connection_string_with_credential_pool_size_and_tls()
    {
        var target = new BenchTarget(new IPEndPoint(IPAddress.Loopback, 4242), Tls: true,
            new BenchCredential("SCRAM-SHA-256", "admin", "bench", "0A1B2C"));

        Assert.Equal(
            "mongodb://bench:0A1B2C@127.0.0.1:4242/?maxPoolSize=100&authSource=admin&authMechanism=SCRAM-SHA-256&tls=true&tlsInsecure=true",
            target.ConnectionString(100));
        Assert.Equal("mongodb://127.0.0.1:4242/?maxPoolSize=8", (target with { Tls = false, Credential = null }).ConnectionString(8));
    }

    [Fact]
    public void An_x509_target_has_no_user_info_and_keeps_the_certificate_out_of_the_connection_string()
    {
        var target = new BenchTarget(new IPEndPoint(IPAddress.Loopback, 4242), Tls: true,
            new BenchCredential("MONGODB-X509", "$external", null, null)) { ClientCertificate = new("/tmp/client.p12", "K3YPASSWORD") };

        Assert.Equal("mongodb://127.0.0.1:4242/?maxPoolSize=1&authSource=$external&authMechanism=MONGODB-X509&tls=true&tlsInsecure=true",
            target.ConnectionString(1));
        Assert.DoesNotContain("K3YPASSWORD", target.ToString(), StringComparison.Ordinal);
        Assert.Contains("/tmp/client.p12", target.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_never_appears_in_descriptions()
    {
        var credential = new BenchCredential("SCRAM-SHA-256", "admin", "bench", "S3CR3TPASSWORD");
        var target = new BenchTarget(new IPEndPoint(IPAddress.Loopback, 4242), Tls: false, credential);

        Assert.DoesNotContain("S3CR3TPASSWORD", credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("S3CR3TPASSWORD", target.ToString(), StringComparison.Ordinal);
        Assert.Contains("bench@admin", target.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_parse_with_defaults()
    {
        Assert.True(BenchArguments.TryParse(["--server", "s.dll", "--quick", "--commit", "abc"], out var arguments, out _));
        Assert.Equal(new BenchArguments("s.dll", Quick: true, "docs/performance.md", "abc"), arguments);

        Assert.True(BenchArguments.TryParse(["--out", "/tmp/p.md", "--server", "s.dll"], out arguments, out _));
        Assert.Equal(new BenchArguments("s.dll", Quick: false, "/tmp/p.md", "unknown"), arguments);

        Assert.True(BenchArguments.TryParse(["--server", "s.dll", "--profile-crud"], out arguments, out _));
        Assert.Equal((true, false), (arguments.ProfileCrud, arguments.ProfileAllocations));
    }

    [Theory]
    [InlineData(new string[0], "--server is required.")]
    [InlineData(new[] { "--quick" }, "--server is required.")]
    [InlineData(new[] { "--server" }, "--server needs a value.")]
    [InlineData(new[] { "--server", "s.dll", "--fast" }, "Unknown argument '--fast'.")]
    public void Wrong_arguments_say_what_is_wrong(string[] args, string expected)
    {
        Assert.False(BenchArguments.TryParse(args, out _, out var error));
        Assert.Equal(expected, error);
    }
}
