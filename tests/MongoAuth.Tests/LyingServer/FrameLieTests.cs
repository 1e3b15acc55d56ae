using System.Buffers.Binary;
using MongoAuth.Tests.Support;
using MongoAuth.Wire;
using MongoDB.Bson;
using static MongoAuth.Tests.LyingServer.LyingServerHarness;

namespace MongoAuth.Tests.LyingServer;

/// <summary>
/// A server that answers a command with a broken frame: every lie is refused with a <see cref="MongoConnectionException"/>
/// naming the failed check, costs little memory whatever length it announces, and leaves no socket open.
/// </summary>
[Collection(LyingServerCollection.Name)]
public sealed class FrameLieTests
{
    /// <summary>The frame lies: name, reply bytes for a request id, the check the error must name, whether the server then waits.</summary>
    public static TheoryData<string, Mode> Cases()
    {
        var data = new TheoryData<string, Mode>();
        foreach (var name in Lies.Keys)
        {
            data.Add(name, Mode.Sync);
            data.Add(name, Mode.Async);
        }
        return data;
    }

    private static readonly Dictionary<string, (Func<int, byte[]> Reply, string Check, bool ServerWaits)> Lies = new()
    {
        ["length below 16"] = (id => Header(12, id), "shorter than the 16-byte header", true),
        ["length of 2e9, then close"] = (id => Header(2_000_000_000, id), "above the message size limit", false),
        ["length one byte beyond the cap"] = (id => Header(48_000_001, id), "outside the allowed range 16..48000000", true),
        ["reply to another request"] = (id => Message(id + 1, Flags(0), Body()), "The reply answers request", true),
        ["OP_REPLY instead of OP_MSG"] = (id => Message(id, Flags(0), Body(), opCode: 1), "Expected an OP_MSG (opCode 2013) but received opCode 1", true),
        ["unknown opCode"] = (id => Message(id, Flags(0), Body(), opCode: 9999), "received opCode 9999", true),
        ["unknown required flag bit"] = (id => Message(id, Flags(1u << 4), Body()), "unknown required flag bits 0x0010", true),
        ["wrong checksum"] = (id => Message(id, Flags(1), Body(), [0, 0, 0, 0]), "checksum mismatch", true),
        ["unknown section kind"] = (id => Message(id, Flags(0), [7, .. Document()]), "unknown section kind 7", true),
        ["two body sections"] = (id => Message(id, Flags(0), Body(), Body()), "more than one body", true),
        ["no body section"] = (id => Message(id, Flags(0), Sequence("documents")), "has no body", true),
        ["sequence size beyond the message"] = (id => Message(id, Flags(0), Body(), [1, 0xFF, 0xFF, 0, 0]), "does not fit", true),
        ["document length beyond the message"] = (id => Message(id, Flags(0), [0, 0xFF, 0xFF, 0, 0, 0]), "Invalid BSON document length 65535", true),
        ["flags only"] = (id => Message(id, Flags(0)), "too short to hold flags and a body section", true),
        ["truncated, then close"] = (id => Message(id, Flags(0), Body())[..30], "closed after 30 of", false),
        ["header cut short, then close"] = (id => Header(100, id)[..10], "closed after 10 bytes of a 16-byte message header", false),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_broken_reply_frame_is_refused_and_the_connection_closed(string lie, Mode mode)
    {
        var (reply, check, serverWaits) = Lies[lie];
        await using var server = new ScriptedServer(r => r.Name == "ping"
            ? serverWaits ? ServerAction.RawThenWait(reply) : ServerAction.Raw(reply)
            : FakeSaslServer.Handle(r));

        var outcome = await PingAsync(server, Settings(server), mode);

        var error = outcome.AssertRefused<MongoConnectionException>(check, serverKeepsSocket: serverWaits);
        Assert.Contains("ping", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task A_hello_limit_above_the_cap_is_lowered_to_it_so_a_long_reply_is_refused_before_allocating(Mode mode)
    {
        await using var server = new ScriptedServer(r => r.Name == "ping"
            ? ServerAction.RawThenWait(id => Header(100_000_000, id))
            : FakeSaslServer.Handle(r, new BsonDocument("maxMessageSizeBytes", int.MaxValue)));

        var outcome = await PingAsync(server, Settings(server), mode);

        outcome.AssertRefused<MongoConnectionException>("Message length 100000000 is outside the allowed range 16..48000000");
    }

    [Theory, BothModes]
    public async Task With_a_raised_cap_a_2e9_byte_header_followed_by_a_close_still_allocates_little(Mode mode)
    {
        await using var server = new ScriptedServer(r => r.Name == "ping"
            ? ServerAction.Raw(id => Header(2_000_000_000, id))
            : FakeSaslServer.Handle(r, new BsonDocument("maxMessageSizeBytes", int.MaxValue)));
        var settings = Settings(server) with { MaxWireMessageSize = Array.MaxLength };

        var outcome = await PingAsync(server, settings, mode);

        outcome.AssertRefused<MongoConnectionException>("closed after 16 of 2000000000 message bytes", serverKeepsSocket: false);
    }

    [Theory, BothModes]
    public async Task With_a_raised_cap_the_reply_buffer_grows_only_with_the_bytes_that_arrive(Mode mode)
    {
        const int sent = 300_000;
        await using var server = new ScriptedServer(r => r.Name == "ping"
            ? ServerAction.Raw(id => [.. Header(2_000_000_000, id), .. new byte[sent]])
            : FakeSaslServer.Handle(r, new BsonDocument("maxMessageSizeBytes", int.MaxValue)));
        var settings = Settings(server) with { MaxWireMessageSize = Array.MaxLength };

        var outcome = await PingAsync(server, settings, mode);

        // One pooled 1 MiB array (the most a claim sizes on its word) holds the 300 KB that came; the server's own 300 KB frame is counted too.
        var error = Assert.IsType<MongoConnectionException>(outcome.Error);
        Assert.Contains($"closed after {16 + sent} of 2000000000 message bytes", error.Message, StringComparison.Ordinal);
        Assert.True(outcome.AllocatedBytes < 16 * 1024 * 1024, $"{outcome.AllocatedBytes:N0} bytes allocated");
        Assert.Equal(outcome.ConnectionsCreated, outcome.ConnectionsClosed);
    }

    private static byte[] Header(int length, int responseTo, int opCode = 2013)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 77);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), opCode);
        return bytes;
    }

    /// <summary>A frame with a correct length field around whatever parts follow the header.</summary>
    private static byte[] Message(int responseTo, params byte[][] parts) => Message(responseTo, 2013, parts);

    private static byte[] Message(int responseTo, byte[] flags, byte[] body, int opCode) => Message(responseTo, opCode, [flags, body]);

    private static byte[] Message(int responseTo, int opCode, byte[][] parts)
    {
        byte[] rest = [.. parts.SelectMany(p => p)];
        return [.. Header(16 + rest.Length, responseTo, opCode), .. rest];
    }

    private static byte[] Flags(uint flags)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, flags);
        return bytes;
    }

    private static byte[] Document()
    {
        using var stream = new MemoryStream();
        BsonSlices.Write(stream, new BsonDocument("ok", 1));
        return stream.ToArray();
    }

    private static byte[] Body() => [0, .. Document()];

    private static byte[] Sequence(string identifier)
    {
        byte[] content = [.. System.Text.Encoding.ASCII.GetBytes(identifier), 0, .. Document()];
        var size = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, 4 + content.Length);
        return [1, .. size, .. content];
    }
}
