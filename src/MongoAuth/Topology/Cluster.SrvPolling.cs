namespace MongoAuth.Topology;

internal sealed partial class Cluster
{
    private void StartSrvPolling(ResolvedSettings resolved)
    {
        _ = resolved;
    }

    private static Task StopSrvPollingAsync() => Task.CompletedTask;
}
