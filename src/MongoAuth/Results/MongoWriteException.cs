namespace MongoAuth;

/// <summary>
/// A single-document write (<c>InsertOne</c>, <c>UpdateOne</c>, <c>ReplaceOne</c>, <c>DeleteOne</c>, ...) failed:
/// <see cref="WriteError"/> says why (a duplicate key: code 11000, <see cref="ServerErrorCategory.DuplicateKey"/>), or
/// <see cref="WriteConcernError"/> says the write concern was not met.
/// </summary>
public sealed class MongoWriteException : MongoException
{
    internal MongoWriteException(string collectionNamespace, WriteError? writeError, WriteConcernError? writeConcernError, Exception? innerException)
        : base(Describe(collectionNamespace, writeError, writeConcernError), innerException)
    {
        WriteError = writeError;
        WriteConcernError = writeConcernError;
    }

    /// <summary>Why the write failed; null when only the write concern failed.</summary>
    public WriteError? WriteError { get; }

    /// <summary>Why the write concern was not met; null when it was.</summary>
    public WriteConcernError? WriteConcernError { get; }

    private static string Describe(string ns, WriteError? error, WriteConcernError? concern) =>
        error is not null
            ? $"A write operation on {ns} failed with code {error.Code} ({error.Category}): {error.Message}"
            : $"A write operation on {ns} was applied but its write concern failed with code {concern?.Code}: {concern?.Message}";
}

/// <summary>
/// Some requests of a bulk write (or documents of <c>InsertMany</c>) failed: <see cref="WriteErrors"/> lists each with
/// its request index, and <see cref="WriteConcernError"/> a failed write concern.
/// </summary>
public class MongoBulkWriteException : MongoException
{
    internal MongoBulkWriteException(string collectionNamespace, IReadOnlyList<BulkWriteError> writeErrors, WriteConcernError? writeConcernError)
        : base(Describe(collectionNamespace, writeErrors, writeConcernError))
    {
        WriteErrors = writeErrors;
        WriteConcernError = writeConcernError;
    }

    /// <summary>The failed requests, in request order.</summary>
    public IReadOnlyList<BulkWriteError> WriteErrors { get; }

    /// <summary>The last write concern error, if any batch had one.</summary>
    public WriteConcernError? WriteConcernError { get; }

    private static string Describe(string ns, IReadOnlyList<BulkWriteError> errors, WriteConcernError? concern)
    {
        var first = errors.Count > 0 ? $" The first: request {errors[0].Index} failed with code {errors[0].Code}: {errors[0].Message}" : "";
        var wc = concern is null ? "" : $" Write concern error {concern.Code}: {concern.Message}";
        return $"A bulk write operation on {ns} had {errors.Count} write error(s).{first}{wc}";
    }
}

/// <summary>A bulk write failed in part; carries what was done and the requests never sent.</summary>
/// <typeparam name="TDocument">The collection's document type.</typeparam>
public sealed class MongoBulkWriteException<TDocument> : MongoBulkWriteException
{
    internal MongoBulkWriteException(string collectionNamespace, IReadOnlyList<BulkWriteError> writeErrors, WriteConcernError? writeConcernError,
        BulkWriteResult<TDocument> result, IReadOnlyList<WriteModel<TDocument>> unprocessed)
        : base(collectionNamespace, writeErrors, writeConcernError)
    {
        Result = result;
        UnprocessedRequests = unprocessed;
    }

    /// <summary>What the requests that ran did.</summary>
    public BulkWriteResult<TDocument> Result { get; }

    /// <summary>The requests an ordered bulk write did not send after its first error.</summary>
    public IReadOnlyList<WriteModel<TDocument>> UnprocessedRequests { get; }
}
