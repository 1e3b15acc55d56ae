using System.Net;
using MongoAuth.ConnectionStrings;

namespace MongoAuth;

/// <summary>Internal settings: what the SRV resolution found, and the seams tests use to reach loopback servers fast.</summary>
public sealed partial record MongoClientSettings
{
    /// <summary>
    /// Resolves a host name to its addresses instead of the system's resolver, when set. Tests only: it lets the host
    /// names an SRV answer names (<c>a.mongo.example.test</c>) reach test servers on 127.0.0.1. Null in production.
    /// </summary>
    internal Func<string, IPAddress[]>? HostAddressResolver { get; init; }

    /// <summary>The shortest time between two SRV rescans: 60 s, as polling-srv-records-for-mongos-discovery says. Tests shorten it.</summary>
    internal TimeSpan MinSrvRescanInterval { get; init; } = SrvResolver.MinRescanInterval;

    /// <summary>Set by the SRV resolution: when to rescan first (the answer's lowest TTL, at least <see cref="MinSrvRescanInterval"/>).</summary>
    internal TimeSpan? SrvRescanInterval { get; init; }
}
