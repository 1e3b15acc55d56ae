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
        Assert.Contains("| Cold connect, SCRAM-SHA-256, TLS | 10.0 (10.8) | 20.0 (20.8) | — | — | — | 0.50× | — | — |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_two_targets_use_the_warm_up_the_reference_the_floor_and_the_bytes_per_ping()
    {
        var book = new ResultBook();
        foreach (var tls in Rows.TlsVariants)
        {
            AddMany(book, Rows.PoolWarmUp(tls), Rows.MongoAuth, Metrics.Milliseconds, 100);
            AddMany(book, Rows.PoolWarmUp(tls), Rows.Driver, Metrics.Milliseconds, tls ? 900 : 2000);
            AddMany(book, Rows.ColdConnect(tls), Rows.MongoAuth, Metrics.Milliseconds, 11);
            AddMany(book, Rows.ColdConnect(tls), Rows.Reference, Metrics.Milliseconds, 10);
            AddMany(book, Rows.ColdConnect(tls), Rows.Reference, Metrics.Pbkdf2Milliseconds, 8);
            foreach (var workers in BenchPlan.SteadyWorkers)
            {
                AddMany(book, Rows.Steady(tls, workers), Rows.MongoAuth, Metrics.OpsPerSecond, 950);
                AddMany(book, Rows.Steady(tls, workers), Rows.Floor, Metrics.OpsPerSecond, 1000);
                AddMany(book, Rows.Steady(tls, workers), Rows.MongoAuth, Metrics.BytesPerOp, tls ? 1100 : 700);
            }
        }

        var text = Render(book);

        Assert.Contains("| pool warm-up speed-up over MongoDB.Driver (minPoolSize 100) | ≥ 10× | 9.00× | **no** |", text, StringComparison.Ordinal);
        Assert.Contains("| cold connect time, MongoAuth / (one PBKDF2 + floor connect-and-ping) | ≤ 1.15× | 1.10× | yes |", text, StringComparison.Ordinal);
        Assert.Contains("| steady-state throughput, MongoAuth / floor | ≥ 0.9× | 0.95× | yes |", text, StringComparison.Ordinal);
        Assert.Contains("| steady-state allocations per ping, MongoAuth | ≤ 1 KB | 1100 B | **no** |", text, StringComparison.Ordinal);
        Assert.Contains("| CRUD throughput, MongoAuth / MongoDB.Driver | ≥ 1.3× | not measured yet | — |", text, StringComparison.Ordinal);
        Assert.Contains("| Pool warm-up, minPoolSize 100, TLS | 100 (100) | 900 (900) | — | 9.00× |", text, StringComparison.Ordinal);
        Assert.Contains("| Cold connect, SCRAM-SHA-256, no TLS | 11.0 (11.0) | — | — | 8.0 (8.0) | 10.0 (10.0) | — | — | 1.10× |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_without_a_section_are_rendered_and_crud_rows_count_as_crud_targets()
    {
        var book = new ResultBook();
        foreach (var row in CrudRows.All)
        {
            AddMany(book, row, Rows.MongoAuth, Metrics.OpsPerSecond, 2600);
            AddMany(book, row, Rows.Driver, Metrics.OpsPerSecond, 2000);
            AddMany(book, row, Rows.MongoAuth, Metrics.BytesPerOp, 300);
            AddMany(book, row, Rows.Driver, Metrics.BytesPerOp, 1000);
        }

        var crud = CrudRows.FindOne(8);
        const string other = "A row no section knows";
        AddMany(book, other, Rows.MongoAuth, Metrics.OpsPerSecond, 1234);
        AddMany(book, "Cold connect, MONGODB-OIDC (cached token), no TLS", Rows.MongoAuth, Metrics.Milliseconds, 2.5);

        var text = Render(book);

        Assert.Contains("## Other rows", text, StringComparison.Ordinal);
        Assert.Contains($"| {other} | ops/s | 1234 (1234) |", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"| {crud} | ops/s |", text, StringComparison.Ordinal);
        Assert.Contains("| CRUD throughput, MongoAuth / MongoDB.Driver | ≥ 1.3× | 1.30× | yes |", text, StringComparison.Ordinal);
        Assert.Contains("| CRUD allocations, MongoAuth / MongoDB.Driver | ≤ 0.4× | 0.30× | yes |", text, StringComparison.Ordinal);
        Assert.Contains("| MONGODB-OIDC cold-connect rows | measured | MONGODB-OIDC (cached token), no TLS: 2.5 ms | yes |", text, StringComparison.Ordinal);
        Assert.Contains("| MONGODB-AWS cold-connect rows | measured | not measured yet | — |", text, StringComparison.Ordinal);
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
    public void A_client_that_cannot_run_here_is_not_measured_rather_than_failed()
    {
        var book = new ResultBook();
        var row = Rows.Steady(tls: false, workers: 8);
        AddMany(book, row, Rows.MongoAuth, Metrics.OpsPerSecond, 1000);
        book.NotMeasured(row, Rows.Driver, "a package is missing");
        book.Fail(row, Rows.Driver, "later failure is not recorded over it");

        var text = Render(book);

        Assert.Contains("| 1000 (1000) | not measured: a package is missing |", text, StringComparison.Ordinal);
        Assert.DoesNotContain("later failure", text, StringComparison.Ordinal);
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
