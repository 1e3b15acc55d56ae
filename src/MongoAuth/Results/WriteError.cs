using MongoDB.Bson;

namespace MongoAuth;

/// <summary>The kinds of server error an application commonly handles.</summary>
public enum ServerErrorCategory
{
    /// <summary>Any other error.</summary>
    Uncategorized,

    /// <summary>A unique index already holds the key (codes 11000, 11001, 12582).</summary>
    DuplicateKey,

    /// <summary>The server ran out of time (code 50 MaxTimeMSExpired).</summary>
    ExecutionTimeout,
}

/// <summary>Why one write of a batch failed: the server's code, message and details.</summary>
public class WriteError
{
    internal WriteError(int code, string message, BsonDocument? details)
    {
        Code = code;
        Message = message;
        Details = details;
    }

    /// <summary>The category of <see cref="Code"/>.</summary>
    public ServerErrorCategory Category => Categorize(Code);

    /// <summary>The server's error code (11000 for a duplicate key).</summary>
    public int Code { get; }

    /// <summary>The server's message (<c>errmsg</c>).</summary>
    public string Message { get; }

    /// <summary>More about the error (<c>errInfo</c>, or for a duplicate key its <c>keyPattern</c> and <c>keyValue</c>).</summary>
    public BsonDocument? Details { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";

    internal static ServerErrorCategory Categorize(int code) => code switch
    {
        11000 or 11001 or 12582 => ServerErrorCategory.DuplicateKey,
        50 => ServerErrorCategory.ExecutionTimeout,
        _ => ServerErrorCategory.Uncategorized,
    };
}

/// <summary>A write error of a bulk write, with the position of the request that failed.</summary>
public sealed class BulkWriteError : WriteError
{
    internal BulkWriteError(int index, int code, string message, BsonDocument? details)
        : base(code, message, details) => Index = index;

    /// <summary>The failed request's position in the bulk write (across batches).</summary>
    public int Index { get; }

    /// <inheritdoc />
    public override string ToString() => $"request {Index}: {Code}: {Message}";
}

/// <summary>The write concern could not be satisfied (the write itself was applied).</summary>
public sealed class WriteConcernError
{
    internal WriteConcernError(int code, string? codeName, string message, BsonDocument? details)
    {
        Code = code;
        CodeName = codeName;
        Message = message;
        Details = details;
    }

    /// <summary>The server's code (e.g. 64 WriteConcernFailed).</summary>
    public int Code { get; }

    /// <summary>The code's name, when the server sent one.</summary>
    public string? CodeName { get; }

    /// <summary>The server's message.</summary>
    public string Message { get; }

    /// <summary>More about the error (<c>errInfo</c>).</summary>
    public BsonDocument? Details { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
