using MongoAuth.ConnectionStrings;
using MongoAuth.Diagnostics;
using MongoAuth.Operations;

namespace MongoAuth.Topology;

/// <summary>
/// SRV polling (polling-srv-records-for-mongos-discovery): a client built from <c>mongodb+srv</c> asks DNS again for
/// the SRV records while its topology is Sharded or Unknown, and adds and removes mongos hosts as the answer changes.
/// Never in load-balanced mode, and no more once the topology is a replica set or a Single server. One background
/// task per client, stopped by <see cref="DisposeAsync"/>; it never throws into the application.
/// </summary>
internal sealed partial class Cluster
{
    private CancellationTokenSource? _srvPollingStop;
    private Task? _srvPolling;
    private int _srvRescans;

    /// <summary>How many SRV rescans have started (tests: polling stops when it must).</summary>
    internal int SrvRescans => Volatile.Read(ref _srvRescans);

    /// <summary>Starts polling when the seed list came from SRV and the client is not load-balanced (once).</summary>
    private void StartSrvPolling(ResolvedSettings resolved)
    {
        if (!resolved.Settings.UsesSrv || resolved.Settings.LoadBalanced is true)
        {
            return;
        }

        lock (_topologyLock)
        {
            if (_srvPolling is not null || _disposed != 0)
            {
                return;
            }

            _srvPollingStop = new CancellationTokenSource();
            var stop = _srvPollingStop.Token;
            _srvPolling = Task.Run(() => PollSrvAsync(resolved, stop), CancellationToken.None);
        }
    }

    /// <summary>Stops polling and waits for a rescan under way to end (it is bounded by connectTimeoutMS and ends at once when cancelled).</summary>
    private async Task StopSrvPollingAsync()
    {
        Task? polling;
        CancellationTokenSource? stop;
        lock (_topologyLock)
        {
            polling = _srvPolling;
            stop = _srvPollingStop;
        }

        if (stop is null || polling is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await polling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }

    /// <summary>
    /// Waits the rescan interval (measured from the end of the previous scan, the initial resolution first), rescans,
    /// and goes on until the client is disposed or the topology is one that is not polled. A failed rescan keeps the
    /// hosts and is tried again after heartbeatFrequencyMS.
    /// </summary>
    private async Task PollSrvAsync(ResolvedSettings resolved, CancellationToken stop)
    {
        var settings = resolved.Settings;
        var srvName = SrvResolver.SrvName(settings);
        var next = settings.SrvRescanInterval ?? settings.MinSrvRescanInterval;
        while (true)
        {
            try
            {
                await Task.Delay(next, stop).ConfigureAwait(false);
                if (!SrvPollingRules.Polls(Description?.Type ?? TopologyType.Unknown))
                {
                    // A replica set (or a Single server) stays one: there is nothing more to poll for.
                    return;
                }

                next = await RescanAsync(resolved, srvName, stop).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // DNS failed (SERVFAIL, timeout, …) or an event handler threw: keep the hosts, try again sooner. The
                // message names the query and the reason; DNS answers hold no credentials.
                next = _settings.HeartbeatFrequency;
                Log.SrvRescanFailed(_topologyLogger, srvName, e.Message, (long)next.TotalMilliseconds);
            }
        }
    }

    /// <summary>One rescan: returns when to rescan next (the answer's lowest TTL, at least the minimum; heartbeatFrequencyMS when nothing usable came back).</summary>
    private async Task<TimeSpan> RescanAsync(ResolvedSettings resolved, string srvName, CancellationToken stop)
    {
        var settings = resolved.Settings;
        Interlocked.Increment(ref _srvRescans);
        var context = OperationContext.Start(isAsync: true, stop).WithTimeout(_settings.ConnectTimeout, TimeoutOption.ConnectTimeoutMS);
        using var deadline = context.LinkDeadline(out context);
        // WaitAsync: a resolver that ignores its token still cannot hold the poller (or DisposeAsync) past the deadline.
        var (verified, ignored) = await SrvResolver.RescanAsync(settings, context).WaitAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var record in ignored)
        {
            Log.SrvRecordIgnored(_topologyLogger, srvName, record.Target, settings.SrvHost!);
        }

        if (verified.Count == 0)
        {
            var retry = _settings.HeartbeatFrequency;
            Log.SrvRescanFailed(_topologyLogger, srvName, ignored.Count == 0 ? "no SRV records" : "no SRV record in the domain", (long)retry.TotalMilliseconds);
            return retry;
        }

        var interval = SrvResolver.RescanInterval(verified, settings.MinSrvRescanInterval);
        ApplySrvAnswer(resolved, srvName, verified, interval);
        return interval;
    }

    /// <summary>
    /// Makes the topology's hosts those the answer selects: removed hosts lose their monitor and pool, new ones get a
    /// monitor and start Unknown; hosts still listed are left alone. Raises the topology event and wakes selections.
    /// </summary>
    private void ApplySrvAnswer(ResolvedSettings resolved, string srvName, IReadOnlyList<SrvRecord> verified, TimeSpan next)
    {
        TopologyDescription before, after;
        TaskCompletionSource changed;
        lock (_topologyLock)
        {
            before = _topology!;
            if (_disposed != 0 || !SrvPollingRules.Polls(before.Type))
            {
                return;
            }

            after = SrvPollingRules.WithHosts(before, SrvResolver.SelectHosts([.. before.Servers.Keys], verified, resolved.Settings.SrvMaxHosts));
            if (ReferenceEquals(after, before))
            {
                return;
            }

            _topology = after;
            SyncMonitors(after, resolved);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        var added = after.Servers.Keys.Where(a => !before.Servers.ContainsKey(a)).Select(a => a.ToString()).Order(StringComparer.Ordinal);
        var removed = before.Servers.Keys.Where(a => !after.Servers.ContainsKey(a)).Select(a => a.ToString()).Order(StringComparer.Ordinal);
        Log.SrvHostsChanged(_topologyLogger, srvName, string.Join(", ", added), string.Join(", ", removed), (long)next.TotalMilliseconds);
        Log.TopologyChanged(_topologyLogger, after.ToString());
        _settings.TopologyEventHandler?.Invoke(new TopologyDescriptionChangedEvent(before, after));
    }
}
