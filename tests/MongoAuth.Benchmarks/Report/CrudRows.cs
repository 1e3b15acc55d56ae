namespace MongoAuth.Benchmarks.Report;

/// <summary>Row names and sizes of the CRUD scenarios (the data API), shared by the runner and the report.</summary>
internal static class CrudRows
{
    /// <summary>Documents per insertMany, in the read collection, and per find.</summary>
    public const int Documents = 1000;

    /// <summary>Worker counts of the findOne row.</summary>
    public static readonly IReadOnlyList<int> FindOneWorkers = [8, 64];

    public const string InsertMany = "insertMany 1,000 small documents";

    public const string FindMany = "find 1,000 documents into POCOs";

    public static string FindOne(int workers) => $"findOne by _id, {workers} workers";

    /// <summary>Every CRUD row, in report order.</summary>
    public static IEnumerable<string> All => [InsertMany, FindMany, .. FindOneWorkers.Select(FindOne)];
}
