using MongoDB.Bson;

namespace MongoAuth.Topology;

/// <summary>
/// Which errors change what the client believes about a server, and which make an operation worth one retry
/// (server-discovery-and-monitoring "Error handling"; retryable-writes and retryable-reads specs).
/// </summary>
internal static class RetryPolicy
{
    /// <summary>"Not writable primary" and "node is recovering" codes: the server's state changed under the client.</summary>
    private static readonly HashSet<int> StateChangeCodes =
    [
        10107, // NotWritablePrimary
        13435, // NotPrimaryNoSecondaryOk
        10058, // LegacyNotPrimary
        11600, // InterruptedAtShutdown
        11602, // InterruptedDueToReplStateChange
        13436, // NotPrimaryOrSecondary
        189, // PrimarySteppedDown
        91, // ShutdownInProgress
    ];

    /// <summary>Codes a retry may cure besides the state changes: the server could not reach another node in time.</summary>
    private static readonly HashSet<int> TransientCodes =
    [
        7, // HostNotFound
        6, // HostUnreachable
        89, // NetworkTimeout
        9001, // SocketException
        262, // ExceededTimeLimit
    ];

    /// <summary>Whether a command error says the server is no longer what the client thought (primary, or up).</summary>
    public static bool IsStateChange(MongoCommandException e) => StateChangeCodes.Contains(e.Code);

    /// <summary>Whether the server is shutting down (its pool is cleared, not just its description).</summary>
    public static bool IsShutdown(MongoCommandException e) => e.Code is 11600 or 91;

    /// <summary>
    /// Whether an operation that failed with <paramref name="error"/> is retried once: a network error (a cleared pool
    /// included), a state change or transient code, or — for writes — the server's <c>RetryableWriteError</c> label.
    /// Authentication failures and server-selection timeouts are not retried.
    /// </summary>
    public static bool IsRetryable(MongoException error, bool write) => error switch
    {
        MongoConnectionException { DuringAuthentication: true } => false,
        MongoConnectionException => true,
        MongoCommandException command => (write && HasErrorLabel(command, "RetryableWriteError")) ||
            StateChangeCodes.Contains(command.Code) || TransientCodes.Contains(command.Code) || (!write && command.Code == 134),
        _ => false,
    };

    /// <summary>Whether the error reply carries <paramref name="label"/> in errorLabels.</summary>
    public static bool HasErrorLabel(this MongoCommandException error, string label) =>
        error.Reply?.GetValue("errorLabels", BsonNull.Value) is BsonArray labels && labels.Contains(label);
}
