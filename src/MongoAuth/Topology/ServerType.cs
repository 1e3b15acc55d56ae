namespace MongoAuth.Topology;

/// <summary>What a server is, as its last hello said (server-discovery-and-monitoring, "ServerType").</summary>
public enum ServerType
{
    /// <summary>Not known yet, or the last check failed.</summary>
    Unknown,
    /// <summary>A mongod that is not a replica-set member.</summary>
    Standalone,
    /// <summary>A mongos router (<c>msg: "isdbgrid"</c>).</summary>
    Mongos,
    /// <summary>The replica set's primary.</summary>
    RSPrimary,
    /// <summary>A replica-set secondary.</summary>
    RSSecondary,
    /// <summary>A replica-set arbiter (holds no data).</summary>
    RSArbiter,
    /// <summary>Another replica-set member state (hidden, starting up, recovering, …).</summary>
    RSOther,
    /// <summary>A member of a replica set that is not initiated yet (<c>isreplicaset: true</c>).</summary>
    RSGhost,
    /// <summary>A load balancer in front of mongos routers.</summary>
    LoadBalancer,
}

/// <summary>What the deployment is, as discovery sees it (server-discovery-and-monitoring, "TopologyType").</summary>
public enum TopologyType
{
    /// <summary>Nothing known yet.</summary>
    Unknown,
    /// <summary>One server used directly (directConnection, or a lone standalone).</summary>
    Single,
    /// <summary>A replica set without a known primary.</summary>
    ReplicaSetNoPrimary,
    /// <summary>A replica set with a known primary.</summary>
    ReplicaSetWithPrimary,
    /// <summary>mongos routers of a sharded cluster.</summary>
    Sharded,
    /// <summary>A load balancer (<c>loadBalanced=true</c>).</summary>
    LoadBalanced,
}
