using System.Diagnostics;

namespace MongoAuth.Operations;

/// <summary>
/// What every layer of one operation needs to know: synchronous or not, the caller's cancellation token, and the
/// deadline with the option that set it (so a timeout error names the step and the option). A small value copied down
/// the call chain: server selection → pool wait → TCP → TLS → hello → authentication → command → reply. Creating or
/// narrowing one allocates nothing; only <see cref="LinkDeadline"/> does, once per connection establishment.
/// </summary>
internal readonly struct OperationContext
{
    // Kept small (32 bytes): it is copied into the state machine of every asynchronous layer of every command.
    // Stopwatch timestamp after which the deadline has passed; 0 = no deadline.
    private readonly long _deadline;
    private readonly CancellationToken _caller;
    private readonly int _limitMilliseconds;

    private OperationContext(bool isAsync, CancellationToken caller, CancellationToken token, long deadline, TimeoutOption option, TimeSpan limit, bool usesTimeoutMS)
    {
        IsAsync = isAsync;
        _caller = caller;
        CancellationToken = token;
        _deadline = deadline;
        Option = option;
        _limitMilliseconds = (int)Math.Min(int.MaxValue, limit.TotalMilliseconds);
        UsesTimeoutMS = usesTimeoutMS;
    }

    /// <summary>Whether the operation runs asynchronously (false: every step blocks the calling thread, down to the socket).</summary>
    public bool IsAsync { get; }

    /// <summary>
    /// The token to pass to I/O: the caller's, or (inside <see cref="LinkDeadline"/>) one that also fires at the deadline.
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The option that set the current deadline (<see cref="TimeoutOption.None"/> without one).</summary>
    public TimeoutOption Option { get; }

    /// <summary>The value of <see cref="Option"/> (whole milliseconds, as the options are given).</summary>
    public TimeSpan Limit => TimeSpan.FromMilliseconds(_limitMilliseconds);

    /// <summary>Whether <c>timeoutMS</c> governs the operation (then socketTimeoutMS and waitQueueTimeoutMS are ignored).</summary>
    public bool UsesTimeoutMS { get; }

    /// <summary>Whether there is a deadline.</summary>
    public bool HasDeadline => _deadline != 0;

    /// <summary>Whether the caller's own token was cancelled (as opposed to the deadline passing).</summary>
    public bool IsCallerCancelled => _caller.IsCancellationRequested;

    /// <summary>Whether the deadline has passed.</summary>
    public bool IsExpired => _deadline != 0 && Stopwatch.GetTimestamp() >= _deadline;

    /// <summary>The time left before the deadline (zero when passed); null without a deadline.</summary>
    public TimeSpan? Remaining => _deadline == 0 ? null : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _deadline) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>Starts an operation; with <paramref name="timeout"/> (timeoutMS, zero = no limit) the whole operation is bounded.</summary>
    public static OperationContext Start(bool isAsync, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var context = new OperationContext(isAsync, cancellationToken, cancellationToken, 0, TimeoutOption.None, TimeSpan.Zero, timeout is not null);
        return timeout is { } limit ? context.WithTimeout(limit, TimeoutOption.TimeoutMS) : context;
    }

    /// <summary>
    /// The same operation with a deadline <paramref name="limit"/> from now set by <paramref name="option"/>, unless the
    /// current deadline is earlier (then it stays, with its option). Zero, negative, infinite or null limits add nothing.
    /// </summary>
    public OperationContext WithTimeout(TimeSpan? limit, TimeoutOption option)
    {
        if (limit is not { } value || value <= TimeSpan.Zero || value == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return this;
        }
        var deadline = Stopwatch.GetTimestamp() + (long)Math.Min(value.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);
        return _deadline != 0 && _deadline <= deadline
            ? this
            : new OperationContext(IsAsync, _caller, CancellationToken, deadline, option, value, UsesTimeoutMS);
    }

    /// <summary>The same operation, synchronous or not.</summary>
    public OperationContext WithMode(bool isAsync) =>
        new(isAsync, _caller, CancellationToken, _deadline, Option, Limit, UsesTimeoutMS);

    /// <summary>
    /// A token source that fires at the deadline or when the caller cancels, and the context whose
    /// <see cref="CancellationToken"/> is its token; null (and this context) when there is no deadline. Used for one stage (a connection establishment), so that code that only takes a token (SASL
    /// steps such as SCRAM's key derivation, DNS lookups) stops at the deadline too. Dispose it when the stage ends.
    /// Without a deadline the caller's token (cancellable or not) already fires whenever a linked one would, so no
    /// source is made: a command without timeoutMS or socketTimeoutMS allocates no token source and no timer.
    /// </summary>
    public CancellationTokenSource? LinkDeadline(out OperationContext linked)
    {
        if (_deadline == 0)
        {
            linked = this;
            return null;
        }
        var source = CancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(CancellationToken) : new CancellationTokenSource();
        if (Remaining is { } left)
        {
            source.CancelAfter(Ceiling(left));
        }
        linked = new OperationContext(IsAsync, _caller, source.Token, _deadline, Option, Limit, UsesTimeoutMS);
        return source;
    }

    /// <summary>The remaining time in whole milliseconds, rounded up so a timer never fires before the deadline; -1 without a deadline.</summary>
    public int RemainingMilliseconds => Remaining is { } left ? (int)Math.Min(int.MaxValue, Math.Max(1, Math.Ceiling(left.TotalMilliseconds))) : System.Threading.Timeout.Infinite;

    /// <summary>The name of <see cref="Option"/> as a connection string spells it.</summary>
    public string OptionName => Name(Option);

    /// <summary>
    /// Throws when the operation cannot go on: <see cref="OperationCanceledException"/> when the caller cancelled,
    /// <see cref="MongoOperationTimeoutException"/> for <paramref name="step"/> when the deadline passed.
    /// </summary>
    public void ThrowIfDone(string step, MongoServerAddress? server)
    {
        _caller.ThrowIfCancellationRequested();
        if (IsExpired)
        {
            throw TimedOut(step, server, null);
        }
    }

    /// <summary>
    /// The error for an interruption of <paramref name="step"/>: the caller's cancellation as
    /// <see cref="OperationCanceledException"/>, anything else (the deadline token or a socket timeout) as a timeout.
    /// </summary>
    public Exception Interrupted(string step, MongoServerAddress? server, Exception? inner) =>
        IsCallerCancelled ? new OperationCanceledException($"{step} was cancelled.", inner, _caller) : TimedOut(step, server, inner);

    /// <summary>The timeout error for <paramref name="step"/>, naming the option that bounded it and its value.</summary>
    public MongoOperationTimeoutException TimedOut(string step, MongoServerAddress? server, Exception? inner, bool duringAuthentication = false)
    {
        var where = server is null ? string.Empty : $" with {server}";
        var option = Option == TimeoutOption.None ? "the socket's own timeout" : $"{OptionName} ({Limit.TotalMilliseconds:0} ms)";
        return new MongoOperationTimeoutException($"The {step}{where} did not finish within {option}.", inner)
        {
            Server = server,
            Step = step,
            TimeoutOption = OptionName,
            Timeout = Limit,
            DuringAuthentication = duringAuthentication,
        };
    }

    /// <summary>The wait-queue form of <see cref="TimedOut"/>.</summary>
    public MongoWaitQueueTimeoutException WaitQueueTimedOut(MongoServerAddress server, int maxPoolSize) =>
        new($"Timed out while checking out a Connection from connection pool for {server}: the pool wait did not finish within " +
            $"{OptionName} ({Limit.TotalMilliseconds:0} ms); all {maxPoolSize} connections are in use. Raise maxPoolSize or return connections sooner.")
        {
            Server = server,
            Step = "pool wait",
            TimeoutOption = OptionName,
            Timeout = Limit,
        };

    private static TimeSpan Ceiling(TimeSpan value) => TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(value.TotalMilliseconds)));

    private static string Name(TimeoutOption option) => option switch
    {
        TimeoutOption.TimeoutMS => "timeoutMS",
        TimeoutOption.ConnectTimeoutMS => "connectTimeoutMS",
        TimeoutOption.SocketTimeoutMS => "socketTimeoutMS",
        TimeoutOption.WaitQueueTimeoutMS => "waitQueueTimeoutMS",
        TimeoutOption.ServerSelectionTimeoutMS => "serverSelectionTimeoutMS",
        _ => "",
    };
}
