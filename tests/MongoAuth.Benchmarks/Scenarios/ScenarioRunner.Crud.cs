using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Harness;
using MongoAuth.Benchmarks.Report;
using MongoDB.Bson;

namespace MongoAuth.Benchmarks.Scenarios;

/// <summary>
/// The CRUD rows (data API): insertMany of 1,000 small documents, find of 1,000 documents into POCOs, and findOne by
/// <c>_id</c> with 8 and 64 workers. Like the steady state, one warmed client per driver is kept across rounds and
/// each round is one window of the operation in a loop; every operation checks what it got, so a driver that reads
/// nothing fails its cell instead of looking fast.
/// </summary>
internal sealed partial class ScenarioRunner
{
    private const string ReadCollection = "read";
    private const string InsertCollection = "insert";

    /// <summary>Seeds the read collection through the first client, then runs every CRUD row over <paramref name="crudClients"/>.</summary>
    public async Task CrudAsync(IReadOnlyList<ICrudBenchClientFactory> crudClients, BenchTarget target, CancellationToken cancellationToken)
    {
        var seeded = BenchDocument.Batch(CrudRows.Documents);
        var seeder = crudClients[0].Create(target, maxPoolSize: 1);
        await using (seeder.ConfigureAwait(false))
        {
            await seeder.DropAsync(ReadCollection, cancellationToken).ConfigureAwait(false);
            await seeder.InsertManyAsync(ReadCollection, seeded, cancellationToken).ConfigureAwait(false);
        }

        var ids = seeded.Select(d => d.Id).ToArray();
        if (ids.Any(id => id == ObjectId.Empty))
        {
            throw new InvalidOperationException("Seeding the CRUD rows left documents without an _id.");
        }

        await CrudRowAsync(crudClients, CrudRows.InsertMany, target, workers: 1, client =>
        {
            var documents = BenchDocument.Batch(CrudRows.Documents);
            return token =>
            {
                // The same objects each time, their ids cleared: the driver assigns new ones, and the row measures the
                // driver rather than the application building 1,000 objects.
                foreach (var document in documents)
                {
                    document.Id = ObjectId.Empty;
                }

                return client.InsertManyAsync(InsertCollection, documents, token);
            };
        }, cancellationToken).ConfigureAwait(false);

        await CrudRowAsync(crudClients, CrudRows.FindMany, target, workers: 1, client => async token =>
        {
            var count = await client.FindAllAsync(ReadCollection, token).ConfigureAwait(false);
            if (count != CrudRows.Documents)
            {
                throw new InvalidOperationException($"find returned {count} documents, not {CrudRows.Documents}.");
            }
        }, cancellationToken).ConfigureAwait(false);

        foreach (var workers in CrudRows.FindOneWorkers)
        {
            await CrudRowAsync(crudClients, CrudRows.FindOne(workers), target, workers, client =>
            {
                var next = -1;
                return async token =>
                {
                    var id = ids[(uint)Interlocked.Increment(ref next) % ids.Length];
                    var document = await client.FindByIdAsync(ReadCollection, id, token).ConfigureAwait(false);
                    if (document?.Id != id)
                    {
                        throw new InvalidOperationException($"findOne by _id {id} returned {document?.Id.ToString() ?? "nothing"}.");
                    }
                };
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One CRUD row: per driver a warmed client and its operation, made once; each round drops the insert collection
    /// (not measured) and runs one window of <paramref name="workers"/> loops; records operations per second and bytes
    /// allocated per operation.
    /// </summary>
    private async Task CrudRowAsync(IReadOnlyList<ICrudBenchClientFactory> crudClients, string row, BenchTarget target, int workers,
        Func<ICrudBenchClient, Func<CancellationToken, ValueTask>> operationOf, CancellationToken cancellationToken)
    {
        var warmed = new Dictionary<string, (ICrudBenchClient Client, Func<CancellationToken, ValueTask> Operation)>();
        try
        {
            await RunRowAsync(crudClients, factory => factory.Name, row, plan.SteadyRounds, Metrics.OpsPerSecond, async (factory, record, token) =>
            {
                if (!warmed.TryGetValue(factory.Name, out var entry))
                {
                    var client = factory.Create(target, Math.Max(workers, BenchPlan.PoolFillSize));
                    entry = (client, operationOf(client));
                    warmed.Add(factory.Name, entry);
                    await entry.Client.DropAsync(InsertCollection, token).ConfigureAwait(false);
                    await SteadyWindow.RunAsync(entry.Operation, workers, TimeSpan.FromSeconds(0.2), token).ConfigureAwait(false);
                }

                await entry.Client.DropAsync(InsertCollection, token).ConfigureAwait(false);
                var window = await SteadyWindow.RunAsync(entry.Operation, workers, plan.SteadyWindow, token).ConfigureAwait(false);
                if (record)
                {
                    book.Add(row, factory.Name, Metrics.OpsPerSecond, window.OpsPerSecond);
                    book.Add(row, factory.Name, Metrics.BytesPerOp, window.BytesPerOp);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (client, _) in warmed.Values)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
