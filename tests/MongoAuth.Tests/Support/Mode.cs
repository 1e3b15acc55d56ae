using System.Reflection;
using MongoDB.Bson;
using Xunit.Sdk;

namespace MongoAuth.Tests.Support;

/// <summary>Which public API an end-to-end test drives: the synchronous one or the asynchronous one.</summary>
public enum Mode
{
    /// <summary><c>RunCommand</c>, <c>GetConnectionStatus</c>: synchronous down to the socket.</summary>
    Sync,

    /// <summary><c>RunCommandAsync</c>, <c>GetConnectionStatusAsync</c>.</summary>
    Async,
}

/// <summary>Runs a <c>[Theory]</c> once per <see cref="Mode"/>; the test's first parameter is the mode.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BothModesAttribute : DataAttribute
{
    /// <inheritdoc />
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Mode.Sync], [Mode.Async]];
}

/// <summary>
/// The one way end-to-end tests call the client in a given mode. The synchronous form runs on the test's thread and
/// returns a completed task (or throws before returning one), so <c>Assert.ThrowsAsync</c> serves both modes.
/// </summary>
internal static class ModeExtensions
{
    public static Task<BsonDocument> RunCommandIn(this IMongoDatabase database, Mode mode, BsonDocument command, CancellationToken cancellationToken = default) =>
        mode == Mode.Async ? database.RunCommandAsync(command, cancellationToken) : Task.FromResult(database.RunCommand(command, cancellationToken));

    public static Task<MongoConnectionStatus> GetConnectionStatusIn(this MongoClient client, Mode mode, CancellationToken cancellationToken = default) =>
        mode == Mode.Async ? client.GetConnectionStatusAsync(cancellationToken) : Task.FromResult(client.GetConnectionStatus(cancellationToken));

    public static Task<BsonDocument> PingIn(this MongoClient client, Mode mode, CancellationToken cancellationToken = default) =>
        client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1), cancellationToken);
}
