using System.Buffers.Binary;
using System.Runtime.ExceptionServices;
using MongoAuth.Collections;
using MongoAuth.Wire;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

#pragma warning disable CA2000 // The readers and buffers here wrap managed arrays (nothing to release); they are dropped with the reply.
namespace MongoAuth.Cursors;

/// <summary>
/// Reads a cursor command's reply (find, aggregate, getMore, listCollections, listIndexes) as a <see cref="BsonDocument"/>
/// while reading its <c>cursor.firstBatch</c> / <c>cursor.nextBatch</c> straight into the application's type, from the
/// reply's own bytes as they are decoded: no document tree is built first, no document is copied, and nothing of the
/// message is kept, so the connection's buffer serves the next command at once (the batch array is left empty in the
/// returned document; <see cref="TakeBatch"/> has it). One instance serves one cursor, one reply at a time.
/// </summary>
/// <remarks>
/// Each batch document is read by a second reader over the reply's bytes (up to the body's end), positioned at that
/// document, so a document that does not fit the application's type (a class-map error) stops neither the reply's
/// reader nor the connection: the error is kept and thrown by <see cref="TakeBatch"/> after the exchange, as the read
/// error it is. The reply's reader then skips the document by its length, so every bound of the reply is still checked.
/// </remarks>
internal sealed class CursorReplySerializer<T>(IBsonSerializer<T> documents) : SerializerBase<BsonDocument>
{
    private static readonly BsonBinaryReaderSettings ReaderSettings = (BsonBinaryReaderSettings)new BsonBinaryReaderSettings().FrozenCopy();

    private readonly PlainClassMapReader<T>? _plain = PlainClassMapReader<T>.For(documents);
    private ByteBufferStream? _documents;
    private BsonDeserializationContext? _context;
    private List<T>? _batch;
    private ExceptionDispatchInfo? _error;

    /// <summary>Where the next reply's batch goes (appended), instead of a new list; null for a new list.</summary>
    public List<T>? Into { get; set; }

    /// <summary>The batch of the reply read last (null if it had none) and forgets it; throws the error one of its documents raised.</summary>
    public List<T>? TakeBatch()
    {
        var (batch, error) = (_batch, _error);
        (_batch, _error) = (null, null);
        error?.Throw();
        return batch;
    }

    public override BsonDocument Deserialize(BsonDeserializationContext context, BsonDeserializationArgs args)
    {
        (_batch, _error) = (null, null);
        try
        {
            return ReadDocument(context, inCursor: false);
        }
        finally
        {
            // Nothing of the message is kept: its buffer goes back to the pool.
            (_documents, _context) = (null, null);
        }
    }

    private BsonDocument ReadDocument(BsonDeserializationContext context, bool inCursor)
    {
        var reader = context.Reader;
        var document = new BsonDocument();
        reader.ReadStartDocument();
        while (reader.ReadBsonType() != BsonType.EndOfDocument)
        {
            var name = reader.ReadName();
            BsonValue value;
            if (reader.CurrentBsonType == BsonType.Document && !inCursor && name == "cursor")
            {
                value = ReadDocument(context, inCursor: true);
            }
            else if (reader.CurrentBsonType == BsonType.Array && inCursor && name is "firstBatch" or "nextBatch")
            {
                _batch = ReadBatch(context);
                value = new BsonArray();
            }
            else
            {
                value = BsonValueSerializer.Instance.Deserialize(context);
            }

            // Add refuses a repeated name, as the plain document serializer does.
            document.Add(name, value);
        }

        reader.ReadEndDocument();
        return document;
    }

    private List<T> ReadBatch(BsonDeserializationContext context)
    {
        var reader = context.Reader;
        if (reader is not BsonBinaryReader { BsonStream: BsonStreamAdapter { BaseStream: ByteSliceStream slice } })
        {
            // Not read from a connection's buffers (no slice to read documents from): through a raw copy of the array.
            using var raw = new RawBsonArray(reader.ReadRawBsonArray());
            var list = Into ?? new List<T>(raw.Count);
            foreach (var element in raw)
            {
                ReadOne(list, () => DocumentCodec.Read(documents, element));
            }

            return list;
        }

        // Sized from the bytes: the array's length over the first document's (plus its type byte and index name).
        var arrayBytes = LengthAt(slice);
        List<T>? batch = null;
        reader.ReadStartArray();
        // In an array the reader skips each element's name itself.
        while (reader.ReadBsonType() != BsonType.EndOfDocument)
        {
            var length = reader.CurrentBsonType == BsonType.Document ? LengthAt(slice) : 0;
            if (length < BsonSlices.MinDocumentSize || length > slice.BufferEnd - slice.BufferPosition)
            {
                // Not a document, or one whose length the reply's reader will refuse: read it as that reader reads it.
                (batch ??= Into ?? []).Add(documents.Deserialize(context));
                continue;
            }

            if (batch is null)
            {
                var estimate = Math.Max(1, arrayBytes / (length + 3));
                batch = Into ?? new List<T>(estimate);
                batch.EnsureCapacity(batch.Count + estimate);
            }

            if (_error is null)
            {
                ReadOne(batch, slice);
            }

            reader.SkipValue();
        }

        reader.ReadEndArray();
        return batch ?? Into ?? [];
    }

    /// <summary>The little-endian int32 at the slice's position (a BSON length), or 0 when fewer than four bytes remain.</summary>
    private static int LengthAt(ByteSliceStream slice) =>
        slice.BufferEnd - slice.BufferPosition >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(slice.Buffer.AsSpan(slice.BufferPosition)) : 0;

    /// <summary>Reads the document at the slice's position with this reply's document reader (made for the first one).</summary>
    private void ReadOne(List<T> batch, ByteSliceStream slice)
    {
        try
        {
            if (_documents is null || _context is null)
            {
                // The library's own stream over the reply's bytes up to the body's end (names and strings are decoded
                // in place, not copied out first); it cannot read past the body, and the reader checks each document
                // ends where its length says.
                _documents = new ByteBufferStream(new ByteArrayBuffer(slice.Buffer, slice.BufferEnd, isReadOnly: true), ownsBuffer: true);
                _context = BsonDeserializationContext.CreateRoot(new BsonBinaryReader(_documents, ReaderSettings));
            }

            var start = slice.BufferPosition;
            _documents.Position = start;
            if (_plain is not null)
            {
                if (_plain.TryRead(_context.Reader, out var read))
                {
                    batch.Add(read!);
                    return;
                }

                // Something only the class map decides: it reads the document again, from its start, with a fresh reader.
                _context = BsonDeserializationContext.CreateRoot(new BsonBinaryReader(_documents, ReaderSettings));
                _documents.Position = start;
            }

            batch.Add(documents.Deserialize(_context));
        }
        catch (Exception e)
        {
            // A reader that failed half-way is in no state to read the next document.
            (_documents, _context) = (null, null);
            _error = ExceptionDispatchInfo.Capture(e);
        }
    }

    private void ReadOne(List<T> batch, Func<T> read)
    {
        if (_error is not null)
        {
            return;
        }

        try
        {
            batch.Add(read());
        }
        catch (Exception e)
        {
            _error = ExceptionDispatchInfo.Capture(e);
        }
    }
}
