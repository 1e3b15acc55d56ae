using System.Buffers.Binary;
using System.Text;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.Wire;

/// <summary>A kind-1 section: an identifier (e.g. <c>documents</c>) and its documents.</summary>
/// <param name="Identifier">The field name the documents belong to.</param>
/// <param name="Documents">The documents, in order.</param>
internal sealed record DocumentSequence(string Identifier, IReadOnlyList<BsonDocument> Documents);

/// <summary>
/// A kind-1 section whose documents are serialised straight into the outgoing message, one after another, by the
/// connection's kept writer: no document is serialised anywhere else first, and the message is not built and then
/// copied. The section ends before the first document that would take the message past the server's
/// maxMessageSizeBytes (that document goes first in the next message), or after <see cref="Limit"/> documents; a
/// document larger than maxBsonObjectSize fails the whole message before anything of it is sent (OP_MSG spec, kind 1
/// sections; crud spec, batch splitting).
/// </summary>
/// <param name="identifier">The field the documents belong to (<c>documents</c>, <c>updates</c>, <c>deletes</c>).</param>
internal abstract class DocumentSequenceWriter(string identifier)
{
    private readonly byte[] _name = Encoding.UTF8.GetBytes(identifier);

    /// <summary>The field the documents belong to.</summary>
    public string Identifier { get; } = identifier;

    /// <summary>The most documents the next message may carry (the server's maxWriteBatchSize and what is left, or what a retried message carried).</summary>
    public int Limit { get; set; }

    /// <summary>How many documents the last message written carries.</summary>
    public int Written { get; private set; }

    /// <summary>Writes document <paramref name="index"/> (0: the first of this message) as one top-level BSON document.</summary>
    protected abstract void WriteDocument(int index, BsonSerializationContext context);

    /// <summary>
    /// Appends the section (kind byte, size, identifier, documents) to <paramref name="stream"/>, which holds the
    /// message from its header on, so its length is the message's size.
    /// </summary>
    internal void WriteSection(Stream stream, BsonSerializationContext context, int maxMessageSize, int maxDocumentSize)
    {
        Written = 0;
        stream.WriteByte(1);
        var sizeAt = stream.Position;
        Span<byte> size = [0, 0, 0, 0];
        stream.Write(size);
        stream.Write(_name);
        stream.WriteByte(0);
        for (var i = 0; i < Limit; i++)
        {
            var start = stream.Position;
            WriteDocument(i, context);
            var length = stream.Position - start;
            if (length > maxDocumentSize)
            {
                throw new MongoProtocolException(
                    $"BSON document in sequence '{Identifier}' is {length} bytes, more than the server's maxBsonObjectSize of {maxDocumentSize}.");
            }

            if (stream.Position > maxMessageSize)
            {
                if (i == 0)
                {
                    throw new MongoProtocolException($"The message is {stream.Position} bytes, more than the server's maxMessageSizeBytes of {maxMessageSize}.");
                }

                // Does not fit: cut it off, it opens the next message.
                stream.SetLength(start);
                break;
            }

            Written = i + 1;
        }

        var end = stream.Position;
        BinaryPrimitives.WriteInt32LittleEndian(size, checked((int)(end - sizeAt)));
        stream.Position = sizeAt;
        stream.Write(size);
        stream.Position = end;
    }
}
