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

    /// <summary>
    /// Starts <paramref name="count"/> calls of <paramref name="call"/> at once, each on a thread of its own: a
    /// synchronous call blocks its thread, and on a small machine the thread pool would start the later ones only as it
    /// grows (hundreds of milliseconds), so "at once" would not hold in the sync mode.
    /// </summary>
    public static Task Concurrently(int count, Func<Task> call) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

    public static Task<BsonDocument> PingIn(this MongoClient client, Mode mode, CancellationToken cancellationToken = default) =>
        client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1), cancellationToken);
}
