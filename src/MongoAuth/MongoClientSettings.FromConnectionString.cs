using Microsoft.Extensions.Logging;

namespace MongoAuth;

// TODO(merge): placeholder so the engine builds on its own branch; the connstr branch's file of the same name
// replaces it (take theirs).
public sealed partial record MongoClientSettings
{
    /// <summary>Parses a connection string.</summary>
    public static MongoClientSettings FromConnectionString(string uri, ILoggerFactory? loggerFactory = null) =>
        throw new NotSupportedException($"Connection-string parsing arrives with the connstr branch ({uri.Length} characters given).");
}
