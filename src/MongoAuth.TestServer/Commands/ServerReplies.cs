using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands;

/// <summary>Reply documents shaped as mongod shapes them.</summary>
internal static class ServerReplies
{
    public static BsonDocument Ok(BsonDocument? fields = null)
    {
        var reply = fields ?? [];
        reply["ok"] = 1.0;
        return reply;
    }

    /// <summary><c>{ok:0, errmsg, code, codeName}</c>.</summary>
    public static BsonDocument Error(int code, string codeName, string message) => new()
    {
        { "ok", 0.0 },
        { "errmsg", message },
        { "code", code },
        { "codeName", codeName },
    };

    public static BsonDocument Error(ServerCommandException exception) =>
        Error(exception.Code, exception.CodeName, exception.Message);

    public static BsonDocument CommandNotFound(string name) =>
        Error(59, "CommandNotFound", $"no such command: '{name}'");

    public static BsonDocument Unauthorized(string name) =>
        Error(13, "Unauthorized", $"Command {name} requires authentication");

    /// <summary>The codeName of the codes tests commonly inject; "Location&lt;code&gt;" otherwise, like mongod.</summary>
    public static string CodeName(int code) => code switch
    {
        2 => "BadValue",
        6 => "HostUnreachable",
        7 => "HostNotFound",
        11 => "UserNotFound",
        13 => "Unauthorized",
        18 => "AuthenticationFailed",
        59 => "CommandNotFound",
        89 => "NetworkTimeout",
        91 => "ShutdownInProgress",
        189 => "PrimarySteppedDown",
        262 => "ExceededTimeLimit",
        334 => "MechanismUnavailable",
        391 => "ReauthenticationRequired",
        10107 => "NotWritablePrimary",
        11600 => "InterruptedAtShutdown",
        11602 => "InterruptedDueToReplStateChange",
        13435 => "NotPrimaryNoSecondaryOk",
        _ => $"Location{code}",
    };
}
