using System.Net;

namespace MongoAuth.Operations;

/// <summary>
/// Host name lookups for the synchronous path. The OS resolver (getaddrinfo) has no synchronous form that honours a
/// timeout or a cancellation token, so when the operation has a deadline or a cancellable token the lookup runs as the
/// runtime's asynchronous query and this thread blocks on it for at most the remaining time; without either it is the
/// plain synchronous call.
/// </summary>
internal static class BlockingDns
{
    /// <summary>The addresses of <paramref name="host"/>; <paramref name="step"/> names the lookup in a timeout error.</summary>
    public static IPAddress[] GetHostAddresses(string host, string step, MongoServerAddress? server, OperationContext context) =>
        IsUnbounded(context) ? Dns.GetHostAddresses(host) : Wait(Dns.GetHostAddressesAsync(host, context.CancellationToken), step, server, context);

    /// <summary>The host entry (canonical name and addresses) of a name or an address.</summary>
    public static IPHostEntry GetHostEntry(string hostOrAddress, string step, OperationContext context) =>
        IsUnbounded(context) ? Dns.GetHostEntry(hostOrAddress) : Wait(Dns.GetHostEntryAsync(hostOrAddress, context.CancellationToken), step, null, context);

    private static bool IsUnbounded(OperationContext context) => !context.HasDeadline && !context.CancellationToken.CanBeCanceled;

    private static T Wait<T>(Task<T> lookup, string step, MongoServerAddress? server, OperationContext context)
    {
        try
        {
            if (!lookup.Wait(context.RemainingMilliseconds, context.CancellationToken))
            {
                throw context.TimedOut(step, server, null);
            }
            return lookup.Result;
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            throw e.InnerException!;
        }
        catch (OperationCanceledException e) when (!context.IsCallerCancelled)
        {
            throw context.TimedOut(step, server, e);
        }
    }
}
