using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>
/// A minimal authoritative DNS server on 127.0.0.1 (UDP, random port) that answers SRV and TXT questions from
/// fixed tables, so the real <c>DnsClientResolver</c> can be tested without the network.
/// </summary>
internal sealed class LoopbackDnsServer : IAsyncDisposable
{
    private const ushort SrvType = 33;
    private const ushort TxtType = 16;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<string, (string Target, ushort Port)[]> _srv;
    private readonly Dictionary<string, string[][]> _txt;

    public LoopbackDnsServer(Dictionary<string, (string Target, ushort Port)[]> srv, Dictionary<string, string[][]> txt)
    {
        (_srv, _txt) = (srv, txt);
        _loop = ServeAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var reply = Answer(request.Buffer);
            await _udp.SendAsync(reply, request.RemoteEndPoint, _stop.Token);
        }
    }

    private byte[] Answer(byte[] query)
    {
        var (name, end) = ReadName(query, 12);
        var type = (ushort)((query[end] << 8) | query[end + 1]);
        var answers = new List<byte[]>();
        if (type == SrvType && _srv.TryGetValue(name.ToLowerInvariant(), out var records))
        {
            answers.AddRange(records.Select(r => Concat(U16(0), U16(0), U16(r.Port), EncodeName(r.Target))));
        }
        else if (type == TxtType && _txt.TryGetValue(name.ToLowerInvariant(), out var texts))
        {
            answers.AddRange(texts.Select(strings => strings.SelectMany(s => new[] { (byte)Encoding.ASCII.GetByteCount(s) }.Concat(Encoding.ASCII.GetBytes(s))).ToArray()));
        }

        var header = Concat(query[..2], U16(0x8180), U16(1), U16((ushort)answers.Count), U16(0), U16(0));
        var question = query[12..(end + 4)];
        var body = answers.SelectMany(rdata => Concat(U16(0xC00C), U16(type), U16(1), [0, 0, 0, 60], U16((ushort)rdata.Length), rdata));
        return [.. header, .. question, .. body];
    }

    private static (string Name, int End) ReadName(byte[] data, int offset)
    {
        var labels = new List<string>();
        while (data[offset] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(data, offset + 1, data[offset]));
            offset += data[offset] + 1;
        }

        return (string.Join('.', labels), offset + 1);
    }

    private static byte[] EncodeName(string name) =>
        [.. name.Split('.').SelectMany(l => new[] { (byte)l.Length }.Concat(Encoding.ASCII.GetBytes(l))), 0];

    private static byte[] U16(ushort value) => [(byte)(value >> 8), (byte)value];

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
