using MongoAuth.Operations;

namespace MongoAuth.Tests.Support;

/// <summary>Operation contexts for tests that drive internal layers directly.</summary>
internal static class Contexts
{
    /// <summary>An asynchronous operation without deadline or cancellation.</summary>
    public static OperationContext Async => OperationContext.Start(isAsync: true, CancellationToken.None);

    /// <summary>An operation in the given mode, with an optional cancellation token.</summary>
    public static OperationContext Of(bool isAsync, CancellationToken cancellationToken = default) => OperationContext.Start(isAsync, cancellationToken);
}
