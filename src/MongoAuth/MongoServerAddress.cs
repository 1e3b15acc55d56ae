using System.Globalization;

namespace MongoAuth;

/// <summary>What kind of host a <see cref="MongoServerAddress"/> names.</summary>
public enum MongoHostKind
{
    /// <summary>A DNS host name (which may look like an IPv4 address it is not, e.g. 256.0.0.1).</summary>
    HostName,
    /// <summary>An IPv4 address.</summary>
    IPv4,
    /// <summary>An IPv6 address written as <c>[addr]</c> in a connection string.</summary>
    IPv6,
    /// <summary>A Unix domain socket path ending in <c>.sock</c>.</summary>
    UnixSocket,
}

/// <summary>One server endpoint: host and port, or a Unix socket path.</summary>
/// <param name="Host">Host name, IP address without brackets, or socket path.</param>
/// <param name="Port">TCP port (1–65535); 27017 by default; ignored for Unix sockets.</param>
/// <param name="Kind">What kind of host this is.</param>
public sealed record MongoServerAddress(string Host, int Port = MongoServerAddress.DefaultPort, MongoHostKind Kind = MongoHostKind.HostName)
{
    /// <summary>The MongoDB default port.</summary>
    public const int DefaultPort = 27017;

    /// <summary>The address as it is written in a connection string (<c>host:port</c>, <c>[::1]:port</c>).</summary>
    public override string ToString() => Kind switch
    {
        MongoHostKind.IPv6 => string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}"),
        MongoHostKind.UnixSocket => Host,
        _ => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}"),
    };
}
