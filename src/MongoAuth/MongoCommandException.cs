using MongoDB.Bson;

namespace MongoAuth;

/// <summary>The server answered a command with <c>ok: 0</c>. Carries the server's code, code name and message.</summary>
public sealed class MongoCommandException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoCommandException(string message, int code, string? codeName, BsonDocument? reply = null)
        : base(message)
    {
        Code = code;
        CodeName = codeName;
        Reply = reply;
    }

    /// <summary>The server error code (e.g. 18 AuthenticationFailed, 391 ReauthenticationRequired).</summary>
    public int Code { get; }

    /// <summary>The server error code name, when the server sent one.</summary>
    public string? CodeName { get; }

    /// <summary>The server's reply document.</summary>
    public BsonDocument? Reply { get; }

    /// <summary>The server's <c>errmsg</c>, or an empty string.</summary>
    public string ServerMessage => Reply?.GetValue("errmsg", BsonString.Empty).ToString() ?? string.Empty;

    internal static MongoCommandException FromReply(string commandName, BsonDocument reply)
    {
        var code = reply.TryGetValue("code", out var c) && c.IsNumeric ? c.ToInt32() : 0;
        var codeName = reply.TryGetValue("codeName", out var n) && n.IsString ? n.AsString : null;
        var errmsg = reply.TryGetValue("errmsg", out var m) ? m.ToString() : "no error message";
        var name = codeName is null ? $"{code}" : $"{code} {codeName}";
        return new MongoCommandException($"Command {commandName} failed with code {name}: {errmsg}", code, codeName, reply);
    }
}
