using System.Buffers.Binary;
using MongoAuth.Pooling;
using MongoAuth.Tests.Data;
using MongoAuth.Tests.Support;
using MongoAuth.Wire;
using MongoDB.Bson;
using static MongoAuth.Tests.LyingServer.LyingServerHarness;

namespace MongoAuth.Tests.LyingServer;

/// <summary>
/// A cursor reply is read into a pooled buffer sized from its announced length and its batch straight into the
/// application's type: the announced length is still checked before anything is sized by it, a claim is trusted for
/// sizing only up to a bound, a batch document whose length lies is a protocol error, and a document that merely does
/// not fit the application's class is the application's error, with the connection kept.
/// </summary>
[Collection(LyingServerCollection.Name)]
public sealed class CursorReplyLieTests
{
    [Theory, BothModes]
    public async Task A_find_reply_announcing_more_than_maxMessageSizeBytes_is_refused_before_allocating(Mode mode)
    {
        await using var server = new ScriptedServer(r => r.Name == "find"
            ? ServerAction.RawThenWait(id => Header(100_000_000, id))
            : FakeSaslServer.Handle(r, new BsonDocument("maxMessageSizeBytes", int.MaxValue)));

        var outcome = await FindAsync(server, mode);

        outcome.AssertRefused<MongoConnectionException>("Message length 100000000 is outside the allowed range 16..48000000");
    }

    [Theory, BothModes]
    public async Task A_find_reply_announcing_40_MB_and_sending_little_costs_at_most_the_trusted_size(Mode mode)
    {
        const int sent = 3000;
        await using var server = new ScriptedServer(r => r.Name == "find"
            ? ServerAction.Raw(id => [.. Header(40_000_000, id), .. new byte[sent]])
            : FakeSaslServer.Handle(r));

        var outcome = await FindAsync(server, mode);

        outcome.AssertRefused<MongoConnectionException>($"closed after {16 + sent} of 40000000 message bytes", serverKeepsSocket: false);
        Assert.True(outcome.AllocatedBytes < 4 * CommandMessageBuffers.TrustedReplySize, $"{outcome.AllocatedBytes:N0} bytes allocated");
    }

    [Theory, BothModes]
    public async Task A_batch_document_whose_length_runs_past_the_reply_is_a_protocol_error(Mode mode)
    {
        await using var server = new ScriptedServer(r => r.Name == "find"
            ? ServerAction.Raw(id => LyingBatchReply(id))
            : FakeSaslServer.Handle(r));

        var outcome = await FindAsync(server, mode);

        outcome.AssertRefused<MongoConnectionException>("broke the wire protocol during find", serverKeepsSocket: false);
    }

    [Theory, BothModes]
    public async Task A_batch_document_that_does_not_fit_the_class_fails_the_read_and_keeps_the_connection(Mode mode)
    {
        var batch = new BsonArray { new BsonDocument { { "_id", ObjectId.GenerateNewId() }, { "Name", "Ada" }, { "Unknown", 1 } } };
        await using var server = new ScriptedServer(r => r.Name == "find"
            ? ScriptedServer.Ok(new BsonDocument("cursor", new BsonDocument { { "id", 0L }, { "ns", "app.people" }, { "firstBatch", batch } }))
            : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(Settings(server));
        var people = client.GetDatabase("app").GetCollection<Person>("people");

        var error = await Record.ExceptionAsync(() => mode.Run(() => people.Find(FilterDefinition<Person>.Empty).ToList(),
            () => people.Find(FilterDefinition<Person>.Empty).ToListAsync()));
        var after = await client.PingIn(mode);

        Assert.IsType<FormatException>(error);
        Assert.Contains("Unknown", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, after["ok"].ToInt32());
        Assert.Equal(1, server.ConnectionCount);
    }

    /// <summary>Runs a find of POCOs against <paramref name="server"/> and records what it left behind (as <see cref="LyingServerHarness.PingAsync"/>).</summary>
    private static async Task<LieOutcome> FindAsync(ScriptedServer server, Mode mode)
    {
        var created = 0;
        var closed = 0;
        var settings = Settings(server) with
        {
            ConnectionPoolEventHandler = e =>
            {
                if (e is ConnectionCreatedEvent)
                {
                    Interlocked.Increment(ref created);
                }
                else if (e is ConnectionClosedEvent)
                {
                    Interlocked.Increment(ref closed);
                }
            },
        };
        await using var client = new MongoClient(settings);
        var people = client.GetDatabase("app").GetCollection<Person>("people");
        await client.PingIn(mode);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var error = await Record.ExceptionAsync(() => mode.Run(() => people.Find(FilterDefinition<Person>.Empty).ToList(),
            () => people.Find(FilterDefinition<Person>.Empty).ToListAsync()));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var (createdNow, closedNow) = (Volatile.Read(ref created), Volatile.Read(ref closed));
        var serverSawAllClosed = await server.AllConnectionsClosedAsync(TimeSpan.FromSeconds(5));
        return new LieOutcome(error, allocated, createdNow, closedNow, serverSawAllClosed);
    }

    /// <summary>A well-framed find reply whose one batch document claims 4,000 bytes inside a reply of a few dozen.</summary>
    private static byte[] LyingBatchReply(int responseTo)
    {
        // A document the class takes (so only its length is wrong).
        var document = new BsonDocument("Name", "Ada").ToBson();
        var body = new BsonDocument
        {
            { "cursor", new BsonDocument { { "id", 0L }, { "ns", "app.people" }, { "firstBatch", new BsonArray { new BsonDocument("Name", "Ada") } } } },
            { "ok", 1.0 },
        }.ToBson();
        var at = body.AsSpan().IndexOf(document);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(at), 4000);
        byte[] rest = [0, 0, 0, 0, 0, .. body];
        return [.. Header(16 + rest.Length, responseTo), .. rest];
    }

    private static byte[] Header(int length, int responseTo)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 77);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 2013);
        return bytes;
    }
}
