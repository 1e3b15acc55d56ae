namespace MongoAuth.TestServer.Topology;

/// <summary>How a <see cref="MongoTestReplicaSet"/> is made up.</summary>
public sealed class ReplicaSetOptions
{
    /// <summary>The replica set's name (hello's <c>setName</c>; the client's <c>replicaSet</c> option).</summary>
    public string Name { get; init; } = "rs0";

    /// <summary>How many data-bearing members (the first one starts as primary); at least 1.</summary>
    public int Members { get; init; } = 3;

    /// <summary>How many of the last data-bearing members are hidden (priority 0, left out of <c>hosts</c>).</summary>
    public int HiddenMembers { get; init; }

    /// <summary>Whether an arbiter is added after the data-bearing members (listed in <c>arbiters</c>).</summary>
    public bool Arbiter { get; init; }

    /// <summary>Tags per data-bearing member, by index (hello's <c>tags</c>, matched by read-preference tag sets).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Tags { get; init; } = [];

    /// <summary>How every member listens and behaves (TLS, authentication, …); its port is ignored unless <see cref="FirstPort"/> is 0.</summary>
    public TestServerOptions Server { get; init; } = new();

    /// <summary>The first member's port (the others follow it); 0 picks free ports.</summary>
    public int FirstPort { get; init; }
}
