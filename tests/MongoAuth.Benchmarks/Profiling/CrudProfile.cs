using System.Globalization;
using MongoAuth.Benchmarks.Clients;
using MongoAuth.Benchmarks.Report;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Benchmarks.Profiling;

/// <summary>
/// <c>MongoAuth.Benchmarks --server … --profile-crud</c>: where the CRUD rows' bytes go. First the floor every driver
/// shares because both use MongoDB.Bson's class map: the bytes its serializer allocates to write 1,000
/// <see cref="BenchDocument"/>s into a reused stream with a reused writer (ids assigned as an insert does), and to
/// read 1,000 from one buffer with a reused reader, counted exactly with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> (no I/O, one thread). Then, against a data server, the exact
/// bytes per <c>insertMany</c> and <c>find</c> of 1,000 for each driver (one worker,
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/>), and for MongoAuth the allocated types as the runtime samples them.
/// </summary>
internal static class CrudProfile
{
    private const int Documents = CrudRows.Documents;
    private const int FloorRounds = 50;
    private const int Warmup = 20;
    private const int Operations = 200;

    public static async Task RunAsync(IReadOnlyList<ICrudBenchClientFactory> factories, BenchTarget target, TextWriter output, CancellationToken cancellationToken)
    {
        SerializerFloor(output);
        var seeded = BenchDocument.Batch(Documents);
        var seeder = factories[0].Create(target, maxPoolSize: 1);
        await using (seeder.ConfigureAwait(false))
        {
            await seeder.DropAsync("read", cancellationToken).ConfigureAwait(false);
            await seeder.InsertManyAsync("read", seeded, cancellationToken).ConfigureAwait(false);
        }

        foreach (var factory in factories)
        {
            var client = factory.Create(target, maxPoolSize: 4);
            await using (client.ConfigureAwait(false))
            {
                var documents = BenchDocument.Batch(Documents);
                await MeasureAsync(factory.Name, "insertMany 1,000", output, sample: factory is MongoAuthCrudClientFactory, async () =>
                {
                    foreach (var document in documents)
                    {
                        document.Id = ObjectId.Empty;
                    }

                    await client.InsertManyAsync("insert", documents, cancellationToken).ConfigureAwait(false);
                }, () => client.DropAsync("insert", cancellationToken)).ConfigureAwait(false);
                await MeasureAsync(factory.Name, "find 1,000", output, sample: factory is MongoAuthCrudClientFactory, async () =>
                {
                    if (await client.FindAllAsync("read", cancellationToken).ConfigureAwait(false) != Documents)
                    {
                        throw new InvalidOperationException("find did not return every document.");
                    }
                }, () => ValueTask.CompletedTask).ConfigureAwait(false);
            }
        }
    }

    private static async Task MeasureAsync(string driver, string what, TextWriter output, bool sample, Func<Task> operation, Func<ValueTask> between)
    {
        for (var i = 0; i < Warmup; i++)
        {
            await operation().ConfigureAwait(false);
        }

        await between().ConfigureAwait(false);
        var listener = sample ? new AllocationTickListener() : null;
        long allocated = 0;
        try
        {
            for (var i = 0; i < Operations; i++)
            {
                if (i % 50 == 0)
                {
                    // Keeps the insert collection small (not counted).
                    listener?.Pause();
                    await between().ConfigureAwait(false);
                    listener?.Resume();
                }

                var before = GC.GetTotalAllocatedBytes(precise: true);
                await operation().ConfigureAwait(false);
                allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
            }
        }
        finally
        {
            listener?.Dispose();
        }

        var perOperation = allocated / (double)Operations;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{driver} {what}: {perOperation:0} B per operation ({Operations} operations, one worker)"));
        listener?.Report(output, perOperation, "op");
    }

    /// <summary>The class map's own bytes: what any driver using MongoDB.Bson pays per 1,000 documents written or read.</summary>
    private static void SerializerFloor(TextWriter output)
    {
        var serializer = BsonSerializer.LookupSerializer<BenchDocument>();
        var documents = BenchDocument.Batch(Documents);
        using var stream = new MemoryStream(1 << 20);
        using var writer = new BsonBinaryWriter(stream);
        var context = BsonSerializationContext.CreateRoot(writer);
        var ids = (IBsonIdProvider)serializer;

        long Write(bool assignIds)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            stream.Position = 0;
            foreach (var document in documents)
            {
                if (assignIds)
                {
                    document.Id = ObjectId.Empty;
                    if (ids.GetDocumentId(document, out var id, out _, out var generator) && generator is not null && generator.IsEmpty(id))
                    {
                        ids.SetDocumentId(document, generator.GenerateId(null, document));
                    }
                }

                serializer.Serialize(context, document);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // One BSON array of the 1,000 documents, as a find reply's batch carries them.
        var array = new BsonArray(documents.Select(d => d.ToBsonDocument()));
        var batch = new BsonDocument("batch", array).ToBson();
        var list = new List<BenchDocument>(Documents);

        long Read()
        {
            list.Clear();
            var before = GC.GetAllocatedBytesForCurrentThread();
            // The library's own stream over the bytes (names and strings decoded in place), as a driver reads a reply.
            using var input = new ByteBufferStream(new ByteArrayBuffer(batch, batch.Length, isReadOnly: true), ownsBuffer: true);
            using var reader = new BsonBinaryReader(input);
            var readContext = BsonDeserializationContext.CreateRoot(reader);
            reader.ReadStartDocument();
            reader.ReadName("batch");
            reader.ReadStartArray();
            while (reader.ReadBsonType() != BsonType.EndOfDocument)
            {
                list.Add(serializer.Deserialize(readContext));
            }

            reader.ReadEndArray();
            reader.ReadEndDocument();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long Objects()
        {
            list.Clear();
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var document in documents)
            {
                // What the results themselves take: the object and a string of its own.
                list.Add(new BenchDocument { Id = document.Id, Name = new string(document.Name.AsSpan()), Age = document.Age, Score = document.Score, Active = document.Active });
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        for (var i = 0; i < 5; i++)
        {
            Write(true);
            Write(false);
            Read();
            Objects();
        }

        long Median(Func<long> measure) => Enumerable.Range(0, FloorRounds).Select(_ => measure()).Order().ElementAt(FloorRounds / 2);
        output.WriteLine($"MongoDB.Bson class map, {Documents} BenchDocuments (about {batch.Length / Documents} B of BSON each), bytes per {Documents} (median of {FloorRounds}):");
        output.WriteLine($"  serialize into a reused stream and writer:        {Median(() => Write(false)),8}");
        output.WriteLine($"  the same, each _id cleared and assigned first:    {Median(() => Write(true)),8}");
        output.WriteLine($"  deserialize from one buffer, reused reader:       {Median(Read),8}");
        output.WriteLine($"  of which the result objects and their strings:    {Median(Objects),8}");
    }
}
