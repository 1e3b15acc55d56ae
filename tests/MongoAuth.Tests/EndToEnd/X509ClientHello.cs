using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// The TLS versions a client offers and the SNI it sends, read from its ClientHello (RFC 8446 §4.1.2): the legacy
/// version field, the <c>supported_versions</c> extension (43) and <c>server_name</c> (0). GREASE values are dropped.
/// </summary>
internal sealed record X509ClientHello(int LegacyVersion, IReadOnlyList<int> SupportedVersions, string? ServerName)
{
    /// <summary>Accepts one connection, reads its first TLS record and closes it.</summary>
    public static async Task<X509ClientHello> CaptureAsync(TcpListener listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = await listener.AcceptSocketAsync(timeout.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, timeout.Token);
        if (header[0] != 22)
        {
            throw new InvalidDataException($"The first record is of type {header[0]}, not a handshake (22).");
        }
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3))];
        await stream.ReadExactlyAsync(body, timeout.Token);
        return Parse(body);
    }

    private static X509ClientHello Parse(ReadOnlySpan<byte> handshake)
    {
        if (handshake[0] != 1)
        {
            throw new InvalidDataException($"The handshake message is of type {handshake[0]}, not ClientHello (1).");
        }
        var hello = handshake[4..];
        var legacyVersion = BinaryPrimitives.ReadUInt16BigEndian(hello);
        var at = 2 + 32;                                                       // version, random
        at += 1 + hello[at];                                                   // session id
        at += 2 + BinaryPrimitives.ReadUInt16BigEndian(hello[at..]);           // cipher suites
        at += 1 + hello[at];                                                   // compression methods
        var extensions = hello.Slice(at + 2, BinaryPrimitives.ReadUInt16BigEndian(hello[at..]));
        var versions = new List<int>();
        string? serverName = null;
        while (extensions.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            var data = extensions.Slice(4, BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]));
            if (type == 43)
            {
                for (var i = 1; i < 1 + data[0]; i += 2)
                {
                    var version = BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
                    if ((version & 0x0f0f) != 0x0a0a)
                    {
                        versions.Add(version);
                    }
                }
            }
            else if (type == 0)
            {
                // server_name_list: length (2), then name type (1, 0 = host_name), length (2), name.
                serverName = Encoding.ASCII.GetString(data.Slice(5, BinaryPrimitives.ReadUInt16BigEndian(data[3..])));
            }
            extensions = extensions[(4 + data.Length)..];
        }
        return new X509ClientHello(legacyVersion, versions, serverName);
    }
}
