using MongoAuth.Benchmarks.Clients;

namespace MongoAuth.Tests.Benchmarks;

/// <summary>The benchmark's client factories by report column name.</summary>
internal static class BenchFactories
{
    public static IBenchClientFactory Named(string name) => name switch
    {
        "MongoAuth" => new MongoAuthClientFactory(),
        "MongoDB.Driver" => new OfficialDriverClientFactory(),
        "floor" => new FloorClientFactory(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such benchmark client."),
    };
}
