using System.Globalization;
using System.Net.Sockets;
using MongoAuth.Authentication;
using MongoAuth.Connections;
using MongoAuth.Diagnostics;
using MongoAuth.ConnectionStrings;
using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Topology;

internal sealed partial class Cluster
{
    /// <summary>How long a lone server that refuses connections is left alone before the next try, while selection waits.</summary>
    private static readonly TimeSpan DirectRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Whether the client starts without monitors: load-balanced mode, directConnection=true, or one seed without
    /// replicaSet or SRV (it may still turn out to be a replica-set member or a mongos; then discovery starts).
    /// </summary>
    private static bool StartsDirect(MongoClientSettings settings) =>
        settings.LoadBalanced is true || settings.DirectConnection == true ||
        (settings.Servers.Count == 1 && settings.ReplicaSetName is null && !settings.UsesSrv);

    /// <summary>
    /// Selection without monitors: the one server, whose pooled connections' handshakes describe it. While it refuses
    /// connections (restarting), selection tries again until serverSelectionTimeoutMS. Returns null when discovery must
    /// take over (the server is a replica-set member or mongos and directConnection is not set).
    /// </summary>
    private async ValueTask<Selected?> SelectDirectAsync(Selection kind, ResolvedSettings resolved, OperationContext context, OperationContext selection)
    {
        var settings = resolved.Settings;
        if (!StartsDirect(settings))
        {
            StartMonitoring(resolved);
            return null;
        }

        var server = ServerDescription.Normalize(settings.Servers[0]);
        var pool = _pools.GetOrAdd(server, _createPool, resolved.Factory);
        var waiting = false;
        while (true)
        {
            pool.MarkReady();
            Connection connection;
            try
            {
                connection = await CheckOutAsync(pool, context).ConfigureAwait(false);
            }
            catch (MongoConnectionException e) when (IsRefused(e))
            {
                Publish(server, ServerDescription.Unknown(server, e.Message));
                if (selection.IsExpired || (context.UsesTimeoutMS && context.Remaining <= DirectRetryDelay))
                {
                    throw SelectionFailed(kind, selection, e);
                }

                LogWaiting(kind, selection, ref waiting);
                await DelayAsync(DirectRetryDelay, selection).ConfigureAwait(false);
                continue;
            }

            var hello = connection.Description!;
            var type = TypeOf(hello);
            var described = settings.LoadBalanced is true ? ServerType.LoadBalancer : type;
            if (!IsDescribedAs(server, described, hello))
            {
                Publish(server, new ServerDescription
                {
                    Address = server,
                    Type = described,
                    SetName = hello.SetName,
                    MaxWireVersion = hello.MaxWireVersion,
                    LogicalSessionTimeoutMinutes = hello.LogicalSessionTimeoutMinutes,
                });
            }
            if (settings.DirectConnection != true && settings.LoadBalanced is not true && type != ServerType.Standalone)
            {
                await pool.CheckInAsync(connection).ConfigureAwait(false);
                StartMonitoring(resolved);
                return null;
            }

            var topologyType = settings.LoadBalanced is true ? TopologyType.LoadBalanced : TopologyType.Single;
            return new Selected(pool, connection, ReadPreferenceFor(kind, topologyType, type));
        }
    }

    /// <summary>
    /// Whether the topology already describes <paramref name="server"/> as this handshake would: then publishing it
    /// again would change nothing but the description's timestamp, and checking out a pooled connection (every
    /// operation of a direct client) builds no new description, no new topology and wakes nobody.
    /// </summary>
    private bool IsDescribedAs(MongoServerAddress server, ServerType type, HelloResult hello) =>
        Volatile.Read(ref _topology) is { } topology && topology.Servers.TryGetValue(server, out var known) &&
        known.Type == type && known.Error is null && known.SetName == hello.SetName &&
        known.MaxWireVersion == hello.MaxWireVersion && known.LogicalSessionTimeoutMinutes == hello.LogicalSessionTimeoutMinutes;

    /// <summary>The server type a pooled connection's handshake shows (without the member lists monitors read).</summary>
    private static ServerType TypeOf(HelloResult hello) =>
        hello.IsMongos ? ServerType.Mongos
        : hello.SetName is null ? ServerType.Standalone
        : hello.IsWritablePrimary ? ServerType.RSPrimary
        : ServerType.RSSecondary;

    /// <summary>Whether the server refused the TCP connection (down or restarting), which waiting may cure.</summary>
    private static bool IsRefused(MongoConnectionException e) =>
        e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    /// <summary>
    /// Selection with monitors (server-selection, "Server selection algorithm"): the suitable servers of the current
    /// topology within the latency window, one of them at random; while there are none, every monitor is asked for a
    /// check and selection waits for the topology to change, until serverSelectionTimeoutMS (or timeoutMS) passes.
    /// </summary>
    private async ValueTask<Selected> SelectMonitoredAsync(Selection kind, MongoServerAddress? deprioritized, ResolvedSettings resolved, OperationContext selection)
    {
        var waiting = false;
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            Task changed;
            TopologyDescription topology;
            lock (_topologyLock)
            {
                changed = _changed.Task;
                topology = _topology!;
            }

            var candidates = kind == Selection.Read
                ? ServerSelector.ForRead(topology, ReadPreference, _settings.LocalThreshold, _settings.HeartbeatFrequency)
                : ServerSelector.ForWrite(topology, _settings.LocalThreshold);
            if (deprioritized is not null && candidates.Count > 1)
            {
                candidates = [.. candidates.Where(c => c.Address != deprioritized)];
            }

            if (candidates.Count > 0)
            {
                var chosen = candidates.Count == 1 ? candidates[0] : candidates[Random.Shared.Next(candidates.Count)];
                var pool = _pools.GetOrAdd(chosen.Address, _createPool, resolved.Factory);
                pool.MarkReady();
                return new Selected(pool, null, ReadPreferenceFor(kind, topology.Type, chosen.Type));
            }

            RequestChecks();
            if (selection.IsExpired)
            {
                throw SelectionFailed(kind, selection, null);
            }

            LogWaiting(kind, selection, ref waiting);
            await WaitForChangeAsync(changed, selection).ConfigureAwait(false);
        }
    }

    /// <summary>Logs that selection waits, once per selection (the topology changes it waits for are logged apart).</summary>
    private void LogWaiting(Selection kind, OperationContext selection, ref bool logged)
    {
        if (!logged)
        {
            logged = true;
            Log.ServerSelectionWaiting(_selectionLog, kind.ToString().ToLowerInvariant(), ToString(), selection.RemainingMilliseconds, selection.OptionName);
        }
    }

    /// <summary>
    /// The <c>$readPreference</c> for an operation (server-selection, "Passing read preference"): none for writes,
    /// standalones and the primary mode; primaryPreferred on a direct connection to a replica-set member (so it
    /// answers even as a secondary); otherwise the client's read preference.
    /// </summary>
    private BsonDocument? ReadPreferenceFor(Selection kind, TopologyType topology, ServerType server)
    {
        if (kind == Selection.Write || server == ServerType.Standalone)
        {
            return null;
        }

        var preference = kind == Selection.Read ? ReadPreference : Topology.ReadPreference.Primary;
        if (topology == TopologyType.Single && server != ServerType.Mongos)
        {
            return preference.Mode == ReadPreferenceMode.Primary ? Topology.ReadPreference.PrimaryPreferred.ToDocument() : preference.ToDocument();
        }

        return preference.Mode == ReadPreferenceMode.Primary ? null : preference.ToDocument();
    }

    /// <summary>The error when no suitable server turned up in time: what was wanted, the limit, and the topology seen.</summary>
    private MongoServerSelectionException SelectionFailed(Selection kind, OperationContext selection, Exception? last)
    {
        var wanted = kind switch
        {
            Selection.Read => $"a read with read preference {ReadPreference}",
            _ => "a write (a primary, a mongos or the only server)",
        };
        var limit = string.Create(CultureInfo.InvariantCulture, $"{selection.OptionName} ({selection.Limit.TotalMilliseconds:0} ms)");
        var topology = Description?.ToString() ?? "nothing discovered yet";
        var hint = Description?.Type is TopologyType.ReplicaSetNoPrimary && kind != Selection.Read
            ? " No primary is known: an election may be running; check the members listed."
            : Description?.Servers.Values.All(s => !s.IsKnown) == true
                ? " No server answered: check the host list, the ports and the network."
                : "";
        return new MongoServerSelectionException(
            $"No server suitable for {wanted} was found within {limit}. Topology: {topology}.{hint}", last);
    }

    /// <summary>Waits until the topology changes or the selection deadline passes, blocking the thread in a synchronous operation.</summary>
    private static async Task WaitForChangeAsync(Task changed, OperationContext selection)
    {
        try
        {
            if (selection.IsAsync)
            {
                await changed.WaitAsync(selection.Remaining ?? Timeout.InfiniteTimeSpan, selection.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                changed.Wait(selection.RemainingMilliseconds, selection.CancellationToken);
            }
        }
        catch (TimeoutException)
        {
            // The caller checks the deadline.
        }
        catch (OperationCanceledException e)
        {
            throw selection.Interrupted("server selection", null, e);
        }
    }

    private static async Task DelayAsync(TimeSpan delay, OperationContext selection)
    {
        var wait = selection.Remaining is { } left && left < delay ? left : delay;
        try
        {
            if (selection.IsAsync)
            {
                await Task.Delay(wait, selection.CancellationToken).ConfigureAwait(false);
            }
            else if (selection.CancellationToken.WaitHandle.WaitOne(wait))
            {
                selection.CancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException e)
        {
            throw selection.Interrupted("server selection", null, e);
        }
    }

    /// <summary>
    /// The settings with the seed list resolved: for <c>mongodb+srv</c> DNS is asked at first use (later answers come from
    /// SRV polling, which changes the topology, not these settings). When the TXT
    /// record changed the credential (authSource), the mechanism is built again from the resolved credential.
    /// </summary>
    private async ValueTask<ResolvedSettings> ResolveAsync(OperationContext context)
    {
        if (Volatile.Read(ref _resolved) is not { } resolved)
        {
            var settings = await SrvResolver.ResolveAsync(_settings, context).ConfigureAwait(false);
            var authenticator = Equals(settings.Credential, _settings.Credential) ? _authenticator : Authenticator.Create(settings);
            Interlocked.CompareExchange(ref _resolved, new ResolvedSettings(settings, new ConnectionFactory(settings, authenticator, _observer), new ConnectionFactory(settings, null, null)), null);
            resolved = Volatile.Read(ref _resolved)!;
        }

        if (Volatile.Read(ref _topology) is null)
        {
            lock (_topologyLock)
            {
                _topology ??= TopologyDescription.Initial(resolved.Settings.Servers, resolved.Settings.DirectConnection, resolved.Settings.LoadBalanced is true, resolved.Settings.ReplicaSetName);
            }
        }

        return resolved;
    }

    /// <summary>Starts discovery: a monitor per server of the topology (once), and SRV polling for mongodb+srv.</summary>
    private void StartMonitoring(ResolvedSettings resolved)
    {
        lock (_topologyLock)
        {
            if (_monitored || _disposed != 0)
            {
                return;
            }

            _monitored = true;
            // What a lone seed's handshake said is replaced by what its monitor will say.
            _topology = TopologyDescription.Initial(resolved.Settings.Servers, resolved.Settings.DirectConnection, resolved.Settings.LoadBalanced is true, resolved.Settings.ReplicaSetName);
            SyncMonitors(_topology, resolved);
        }

        StartSrvPolling(resolved);
    }

    /// <summary>A monitor for every server of <paramref name="topology"/>, none for removed ones. Under the topology lock.</summary>
    private void SyncMonitors(TopologyDescription topology, ResolvedSettings resolved)
    {
        foreach (var address in topology.Servers.Keys)
        {
            if (!_monitors.ContainsKey(address))
            {
                var monitor = new ServerMonitor(address, resolved.MonitorFactory, resolved.Settings, OnMonitorDescription, _settings.TopologyEventHandler);
                _monitors[address] = monitor;
                monitor.Start();
            }
        }

        foreach (var (address, monitor) in _monitors.Where(m => !topology.Servers.ContainsKey(m.Key)).ToList())
        {
            _monitors.Remove(address);
            _ = monitor.DisposeAsync().AsTask();
            if (_pools.TryRemove(address, out var pool))
            {
                _ = pool.DisposeAsync().AsTask();
            }
        }
    }

    private void RequestChecks()
    {
        lock (_topologyLock)
        {
            foreach (var monitor in _monitors.Values)
            {
                monitor.RequestCheck();
            }
        }
    }

    /// <summary>
    /// A monitor's result: the discovery rules make the next topology. A server that was known and whose check failed
    /// has its pool cleared (its connections are likely dead too); a server that answered has its pool made ready.
    /// </summary>
    private void OnMonitorDescription(ServerDescription description)
    {
        var previous = Publish(description.Address, description);
        if (!description.IsKnown && previous?.IsKnown == true && _pools.TryGetValue(description.Address, out var pool))
        {
            pool.Clear(pool.Generation, new MongoConnectionException($"The monitor's check of {description.Address} failed: {description.Error}"));
        }
        else if (description.IsDataBearing && _pools.TryGetValue(description.Address, out var ready))
        {
            ready.MarkReady();
        }
    }

    /// <summary>
    /// A "not writable primary" / "node is recovering" error on an operation (server-discovery-and-monitoring, "Error
    /// handling"): ignored when its topologyVersion is not newer than the server's current description; otherwise the
    /// server is marked Unknown carrying the error's topologyVersion, so a later error or a late hello about the same
    /// state is recognised as stale too.
    /// </summary>
    private void OnStateChangeError(MongoServerAddress server, MongoCommandException error, bool clearPool, int generation)
    {
        var errorVersion = ServerDescription.ParseTopologyVersion(error.Reply);
        if (Description?.Servers.TryGetValue(server, out var current) == true && TopologyRules.IsStaleError(current, errorVersion))
        {
            return;
        }

        MarkUnknown(server, error, clearPool, generation, errorVersion);
    }

    /// <summary>
    /// Marks <paramref name="server"/> Unknown after an operation's error, clears its pool when the rules say so, and
    /// asks its monitor for a check at once.
    /// </summary>
    private void MarkUnknown(MongoServerAddress server, Exception error, bool clearPool, int generation,
        (ObjectId ProcessId, long Counter)? topologyVersion = null)
    {
        if (clearPool && _pools.TryGetValue(server, out var pool))
        {
            pool.Clear(generation, error);
        }

        Publish(server, ServerDescription.Unknown(server, error.Message) with { TopologyVersion = topologyVersion });
        lock (_topologyLock)
        {
            if (_monitors.TryGetValue(server, out var monitor))
            {
                monitor.RequestCheck();
            }
        }
    }

    /// <summary>Applies a new description of one server, raises the events, wakes waiting selections; returns the server's previous description.</summary>
    private ServerDescription? Publish(MongoServerAddress server, ServerDescription description)
    {
        TopologyDescription before, after;
        TaskCompletionSource changed;
        lock (_topologyLock)
        {
            before = _topology!;
            if (before is null || !before.Servers.TryGetValue(server, out _))
            {
                return null;
            }

            after = TopologyRules.Apply(before, description);
            _topology = after;
            if (_monitored && Volatile.Read(ref _resolved) is { } resolved && _disposed == 0)
            {
                SyncMonitors(after, resolved);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var previous = before.Servers[server];
        var now = after.Servers.GetValueOrDefault(server) ?? description;
        if (!SameState(previous, now))
        {
            _settings.TopologyEventHandler?.Invoke(new ServerDescriptionChangedEvent(server, previous, now));
            _settings.TopologyEventHandler?.Invoke(new TopologyDescriptionChangedEvent(before, after));
            Log.TopologyChanged(_topologyLogger, after.ToString());
        }

        changed.TrySetResult();
        return previous;
    }

    /// <summary>Whether two descriptions of a server say the same (round trips and check times aside).</summary>
    private static bool SameState(ServerDescription a, ServerDescription b) =>
        a.Type == b.Type && a.Error == b.Error && a.SetName == b.SetName && a.Primary == b.Primary &&
        a.ElectionId == b.ElectionId && a.SetVersion == b.SetVersion && a.Hosts.SequenceEqual(b.Hosts);
}
