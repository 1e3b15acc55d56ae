using MongoAuth.Benchmarks.Harness;
using MongoAuth.Benchmarks.Report;
using MongoAuth.Benchmarks.Scenarios;

namespace MongoAuth.Tests.Benchmarks;

public sealed class MarkdownReportTests
{
    private static readonly MachineDescription Machine = new(2, "24.0 GiB", "Test CPU", "Test OS", ".NET test", "0.00 0.00 0.00");

    [Fact]
    public void Targets_compare_ratios_of_medians_in_the_worst_variant()
    {
        var book = new ResultBook();
        foreach (var tls in Rows.TlsVariants)
        {
            AddMany(book, Rows.ColdConnect(tls), Rows.MongoAuth, Metrics.Milliseconds, 10, 11, 9);
            AddMany(book, Rows.ColdConnect(tls), Rows.Driver, Metrics.Milliseconds, 20, 21, 19);
            AddMany(book, Rows.PoolFill(tls), Rows.MongoAuth, Metrics.Milliseconds, 100);
            AddMany(book, Rows.PoolFill(tls), Rows.Driver, Metrics.Milliseconds, tls ? 300 : 1000);
        }

        var text = Render(book);

        Assert.Contains("| cold connect time, MongoAuth / MongoDB.Driver | ≤ 0.7× | 0.50× | yes |", text, StringComparison.Ordinal);
        Assert.Contains("| pool fill speed-up over MongoDB.Driver | ≥ 5× | 3.00× | **no** |", text, StringComparison.Ordinal);
        Assert.Contains("| steady-state throughput, MongoAuth / MongoDB.Driver | ≥ 1.2× | not measured yet | — |", text, StringComparison.Ordinal);
        Assert.Contains("| Cold connect, SCRAM-SHA-256, TLS | 10.0 (10.8) | 20.0 (20.8) | — | 0.50× | — |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_and_missing_clients_are_said_instead_of_numbers()
    {
        var book = new ResultBook();
        var row = Rows.Steady(tls: false, workers: 8);
        AddMany(book, row, Rows.Driver, Metrics.OpsPerSecond, 1000);
        AddMany(book, row, Rows.Driver, Metrics.BytesPerOp, 500);
        book.Fail(row, Rows.Floor, "IOException: reset | closed");

        var text = Render(book);

        Assert.Contains($"| {row} | — | 1000 (1000) | failed: IOException: reset \\| closed | — | — | — | 500 (500) |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_names_the_machine_mode_commit_and_method()
    {
        var text = Render(new ResultBook());

        Assert.Contains("| CPU | Test CPU |", text, StringComparison.Ordinal);
        Assert.Contains("(quick mode)", text, StringComparison.Ordinal);
        Assert.Contains("`abc1234`", text, StringComparison.Ordinal);
        Assert.Contains("## Method", text, StringComparison.Ordinal);
        Assert.Contains("| MONGODB-X509 | waiting |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Measured_mechanisms_get_cold_connect_rows_and_the_others_their_reason()
    {
        var book = new ResultBook();
        var x509 = Rows.ColdConnect(tls: true, "MONGODB-X509");
        AddMany(book, x509, Rows.MongoAuth, Metrics.Milliseconds, 6);
        AddMany(book, x509, Rows.Driver, Metrics.Milliseconds, 12);
        AddMany(book, x509, Rows.Floor, Metrics.Milliseconds, 3);

        var text = new MarkdownReport(book, new RunInfo(BenchPlan.Quick, Machine, DateTimeOffset.UnixEpoch, "abc1234", "3.14.0",
            [("GSSAPI", "not measured: no | KDC")])).Render();

        Assert.Contains("| Cold connect, MONGODB-X509, TLS | 6.0 (6.0) | 12.0 (12.0) | 3.0 (3.0) | 0.50× | 2.00× |", text, StringComparison.Ordinal);
        Assert.Contains("| Cold connect, PLAIN, TLS | — | — | — | — | — |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cold connect, GSSAPI", text, StringComparison.Ordinal);
        Assert.Contains("| GSSAPI | not measured: no \\| KDC |", text, StringComparison.Ordinal);
    }

    private static string Render(ResultBook book) =>
        new MarkdownReport(book, new RunInfo(BenchPlan.Quick, Machine, DateTimeOffset.UnixEpoch, "abc1234", "3.14.0",
            [("MONGODB-X509", "waiting")])).Render();

    private static void AddMany(ResultBook book, string row, string client, string metric, params double[] values)
    {
        foreach (var value in values)
        {
            book.Add(row, client, metric, value);
        }
    }
}
