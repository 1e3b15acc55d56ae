using MongoAuth.TestServer.Connections;
using MongoAuth.TestServer.Data;
using MongoDB.Bson;

namespace MongoAuth.TestServer.Commands.Data;

/// <summary>One data command being run: the store, the caller and typed access to the command's fields.</summary>
internal sealed class DataCommandContext(MongoTestServer server, ConnectionSession session, BsonDocument command, string database)
{
    public DataStore Store => server.Data;

    public BsonDocument Command { get; } = command;

    public string Database { get; } = database;

    public string Name => Command.GetElement(0).Name;

    public void Demand(DataPrivilege privilege) => DataAuthorization.Demand(server, session, Database, privilege, Command);

    public bool IsAllowed(DataPrivilege privilege) => DataAuthorization.IsAllowed(server, session, Database, privilege);

    public IEnumerable<Authentication.GrantedRole> Roles => session.AuthenticatedUsers.SelectMany(u => u.Roles);

    public bool AuthenticationRequired => server.Options.RequireAuthentication;

    /// <summary>
    /// The statements of a write command (<c>documents</c>, <c>updates</c>, <c>deletes</c>), refused as mongod refuses
    /// a batch larger than the maxWriteBatchSize its hello reported (16 InvalidLength).
    /// </summary>
    public BsonArray WriteBatch(string field)
    {
        var batch = Array(field);
        if (batch.Count > server.Options.MaxWriteBatchSize)
        {
            throw new DataException(16, "InvalidLength",
                $"Write batch sizes must be between 1 and {server.Options.MaxWriteBatchSize}. Got {batch.Count} operations.");
        }

        return batch;
    }

    /// <summary>The collection named by the command's first field, validated as mongod validates names.</summary>
    public string CollectionName()
    {
        var value = Command[0];
        if (!value.IsString)
        {
            throw DataException.InvalidNamespace(
                $"collection name has invalid type {MongoText.TypeName(value)}");
        }

        var name = value.AsString;
        if (name.Length == 0)
        {
            throw DataException.InvalidNamespace($"Invalid namespace specified '{Database}.'");
        }

        if (name.Contains('$', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || name.StartsWith('.'))
        {
            throw DataException.InvalidNamespace($"Invalid collection name: {name}");
        }

        return name;
    }

    public BsonDocument? Document(string field)
    {
        if (!Command.TryGetValue(field, out var value) || value.IsBsonNull)
        {
            return null;
        }

        return value as BsonDocument ?? throw WrongType(field, value, "object");
    }

    public BsonArray Array(string field)
    {
        if (!Command.TryGetValue(field, out var value))
        {
            throw new DataException(40414, "Location40414",
                $"BSON field '{Name}.{field}' is missing but a required field");
        }

        return value as BsonArray ?? throw WrongType(field, value, "array");
    }

    public bool Bool(string field, bool defaultValue) =>
        Command.TryGetValue(field, out var value) && !value.IsBsonNull ? value.ToBoolean() : defaultValue;

    /// <summary>A non-negative integer option (skip, limit, batchSize); mongod's 51024 for a negative one.</summary>
    public long? NonNegative(string field, BsonDocument? source = null)
    {
        if (!(source ?? Command).TryGetValue(field, out var value) || value.IsBsonNull)
        {
            return null;
        }

        if (!BsonOrder.IsNumber(value))
        {
            throw WrongType(field, value, "long");
        }

        var number = value.ToInt64();
        return number < 0
            ? throw DataException.Location(51024, $"BSON field '{field}' value must be >= 0, actual value '{number}'")
            : number;
    }

    /// <summary>Refuses a non-simple collation: this store compares strings by code point only.</summary>
    public void RefuseCollation(BsonDocument? source = null)
    {
        if ((source ?? Command).TryGetValue("collation", out var collation) && collation is BsonDocument c &&
            c.GetValue("locale", "simple") != "simple")
        {
            throw DataException.NotSupported("A non-simple collation");
        }
    }

    private DataException WrongType(string field, BsonValue value, string expected) => DataException.TypeMismatch(
        $"BSON field '{Name}.{field}' is the wrong type '{MongoText.TypeName(value)}', expected type '{expected}'");
}
