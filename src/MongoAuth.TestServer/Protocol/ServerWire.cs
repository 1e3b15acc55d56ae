using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Protocol;

/// <summary>
/// Reads requests and writes replies in the forms the test server speaks, on top of <c>MongoAuth.Wire</c>: OP_MSG
/// both ways, and OP_QUERY in / OP_REPLY out for the legacy isMaster of the official driver. Malformed input throws
/// <see cref="MongoProtocolException"/> (or <see cref="EndOfStreamException"/>); the connection must then be closed.
/// </summary>
internal static class ServerWire
{
    /// <summary>
    /// Reads one request; null when the client closed the connection between messages. A message larger than
    /// <paramref name="maxMessageSize"/> (the maxMessageSizeBytes hello reported) is a protocol error.
    /// </summary>
    public static async ValueTask<ServerRequest?> ReadAsync(Stream stream, CancellationToken cancellationToken, int maxMessageSize = WireLimits.DefaultMaxMessageSize)
    {
        var message = await WireMessageReader.ReadAsync(stream, maxMessageSize, runAsync: true,
            cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }

        switch (message.Header.OpCode)
        {
            case OpCode.Msg:
                var msg = OpMsgMessage.Decode(message.Header, message.Bytes);
                var command = msg.Body;
                foreach (var sequence in msg.Sequences)
                {
                    command[sequence.Identifier] = new BsonArray(sequence.Documents);
                }

                return new ServerRequest(message.Header.RequestId, false, command,
                    (msg.Flags & OpMsgFlags.MoreToCome) != 0, (msg.Flags & OpMsgFlags.ExhaustAllowed) != 0)
                {
                    DocumentSequences = msg.Sequences.Count,
                };
            case OpCode.Query:
                var query = OpQueryMessage.Decode(message.Header, message.Bytes);
                return new ServerRequest(message.Header.RequestId, true, LegacyCommand(query), false);
            default:
                throw new MongoProtocolException($"The test server does not accept opCode {(int)message.Header.OpCode}.");
        }
    }

    /// <summary>
    /// Encodes <paramref name="reply"/> as the answer to <paramref name="request"/>; <paramref name="moreToCome"/>
    /// marks an OP_MSG reply of an exhaust stream (more replies follow without further requests).
    /// </summary>
    public static byte[] EncodeReply(ServerRequest request, int requestId, BsonDocument reply, bool moreToCome = false) =>
        request.IsLegacyQuery
            ? new OpReplyMessage(request.RequestId, reply).Encode(requestId)
            : new OpMsgMessage(reply, moreToCome ? OpMsgFlags.MoreToCome : OpMsgFlags.None)
            {
                RequestId = requestId, ResponseTo = request.RequestId,
            }.Encode();

    /// <summary>The command of an OP_QUERY on <c>db.$cmd</c>, unwrapped from <c>$query</c>, with <c>$db</c> set.</summary>
    private static BsonDocument LegacyCommand(OpQueryMessage query)
    {
        var command = query.Query.TryGetValue("$query", out var inner) && inner.IsBsonDocument
            ? inner.AsBsonDocument
            : query.Query;
        if (!command.Contains("$db"))
        {
            var dot = query.FullCollectionName.IndexOf('.', StringComparison.Ordinal);
            command["$db"] = dot < 0 ? query.FullCollectionName : query.FullCollectionName[..dot];
        }

        return command;
    }
}
