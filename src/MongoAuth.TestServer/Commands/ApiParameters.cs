using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands;

/// <summary>
/// The versioned API ("Stable API") parameters of a command, checked as mongod (5.0 and later) checks them before it
/// runs a command: <c>apiVersion</c> must be the string "1"; <c>apiStrict</c> and <c>apiDeprecationErrors</c> must be
/// Booleans and need an <c>apiVersion</c>; with <c>apiStrict: true</c> only commands of API version 1 run. No
/// command of version 1 is deprecated, so <c>apiDeprecationErrors</c> never fails a command that runs.
/// </summary>
internal static class ApiParameters
{
    /// <summary>The error reply mongod gives for the command's API parameters, or null when they are acceptable.</summary>
    public static BsonDocument? Check(string commandName, BsonDocument command)
    {
        var version = command.GetValue("apiVersion", BsonNull.Value);
        var strict = command.GetValue("apiStrict", BsonNull.Value);
        var deprecationErrors = command.GetValue("apiDeprecationErrors", BsonNull.Value);
        if (WrongType(commandName, "apiVersion", version, BsonType.String, "string") is { } versionType)
        {
            return versionType;
        }

        if (WrongType(commandName, "apiStrict", strict, BsonType.Boolean, "boolean") is { } strictType)
        {
            return strictType;
        }

        if (WrongType(commandName, "apiDeprecationErrors", deprecationErrors, BsonType.Boolean, "boolean") is { } errorsType)
        {
            return errorsType;
        }

        if (version.IsBsonNull)
        {
            // mongod's location codes for a parameter given without apiVersion.
            return !strict.IsBsonNull ? ServerReplies.Error(4886600, "Location4886600", "Provided apiStrict without passing apiVersion")
                : !deprecationErrors.IsBsonNull
                    ? ServerReplies.Error(4886600, "Location4886600", "Provided apiDeprecationErrors without passing apiVersion")
                    : null;
        }

        if (version.AsString != "1")
        {
            return ServerReplies.Error(322, "APIVersionError", "API version must be \"1\"");
        }

        if (strict is BsonBoolean { Value: true } && !MongodCommands.ApiVersion1.Contains(commandName))
        {
            return ServerReplies.Error(323, "APIStrictError",
                $"Provided apiStrict:true, but the command {commandName} is not in API Version 1. Information on " +
                "supported commands and migrations in API Version 1 can be found at " +
                "https://dochub.mongodb.org/core/manual-versioned-api");
        }

        return null;
    }

    /// <summary>mongod's IDL parser error for a field of the wrong BSON type (TypeMismatch, 14).</summary>
    private static BsonDocument? WrongType(string commandName, string field, BsonValue value, BsonType expected, string expectedName) =>
        value.IsBsonNull || value.BsonType == expected
            ? null
            : ServerReplies.Error(14, "TypeMismatch",
                $"BSON field '{commandName}.{field}' is the wrong type '{TypeName(value.BsonType)}', expected type '{expectedName}'");

    private static string TypeName(BsonType type) => type switch
    {
        BsonType.Double => "double",
        BsonType.String => "string",
        BsonType.Document => "object",
        BsonType.Array => "array",
        BsonType.Binary => "binData",
        BsonType.ObjectId => "objectId",
        BsonType.Boolean => "bool",
        BsonType.DateTime => "date",
        BsonType.Int32 => "int",
        BsonType.Int64 => "long",
        BsonType.Decimal128 => "decimal",
        _ => type.ToString(),
    };
}
