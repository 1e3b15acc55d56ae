namespace MongoAuth.Benchmarks.Report;

/// <summary>The CRUD part of the report: its targets and its table.</summary>
internal sealed partial class MarkdownReport
{
    private void CrudTargets()
    {
        Target("CRUD throughput, MongoAuth / MongoDB.Driver", "≥ 1.3×",
            Worst(CrudRows.All, Harness.Metrics.OpsPerSecond, Rows.MongoAuth, Rows.Driver, lowest: true), v => v >= 1.3);
        Target("CRUD allocations, MongoAuth / MongoDB.Driver", "≤ 0.4×",
            Worst(CrudRows.All, Harness.Metrics.BytesPerOp, Rows.MongoAuth, Rows.Driver, lowest: false), v => v <= 0.4);
    }

    private void Crud()
    {
        Line("## CRUD");
        Line();
        Line("The data API against a test server seeded with 1,000 small documents (no TLS, same SCRAM user): operations " +
             "per second (higher is better) and bytes allocated in the client process per operation (lower is better), " +
             "median (p90). An operation is one `insertMany` of 1,000 documents, one `find` of all 1,000 into POCOs, or " +
             "one `findOne` by `_id`. The floor speaks only `ping` and has no column here.");
        Line();
        Line($"| operation | {Rows.MongoAuth} ops/s | {Rows.Driver} ops/s | MongoAuth / Driver | {Rows.MongoAuth} B/op | {Rows.Driver} B/op | MongoAuth / Driver B/op |");
        Line("|---|---|---|---|---|---|---|");
        foreach (var row in CrudRows.All)
        {
            Line($"| {row} | {Cell(row, Rows.MongoAuth, Harness.Metrics.OpsPerSecond)} | {Cell(row, Rows.Driver, Harness.Metrics.OpsPerSecond)} | " +
                 $"{RatioCell(row, Harness.Metrics.OpsPerSecond, Rows.Driver)} | {Cell(row, Rows.MongoAuth, Harness.Metrics.BytesPerOp)} | " +
                 $"{Cell(row, Rows.Driver, Harness.Metrics.BytesPerOp)} | {RatioCell(row, Harness.Metrics.BytesPerOp, Rows.Driver)} |");
        }

        Line();
    }
}
