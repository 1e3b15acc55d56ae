using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>
/// The physical floor: raw sockets (and <see cref="SslStream"/> for TLS) sending one pre-encoded OP_MSG
/// <c>{ping: 1, $db: "admin"}</c> and reading the reply into a reused buffer. No handshake, no authentication
/// (<c>ping</c> is allowed before it, as on mongod), no BSON decoding after the first reply: the least work a
/// client can do for a ping on this machine. Connections are kept in a FIFO queue, opened on demand. With a client
/// certificate (the X.509 target) the TLS handshake presents it, as the drivers do, but nothing authenticates.
/// </summary>
internal sealed class FloorClientFactory : IBenchClientFactory
{
    /// <inheritdoc />
    public string Name => "floor";

    /// <inheritdoc />
    public IBenchClient Create(BenchTarget target, int maxPoolSize) => new FloorClient(target);

    private sealed class FloorClient(BenchTarget target) : IBenchClient
    {
        private readonly ConcurrentQueue<RawConnection> _idle = new();
        private readonly X509Certificate2? _certificate = target.ClientCertificate is { } file
            ? X509CertificateLoader.LoadPkcs12FromFile(file.Pkcs12File, file.Password)
            : null;
        private long _opened;

        public long ConnectionsOpened => Interlocked.Read(ref _opened);

        public long? KeyDerivations => 0;

        // Pooled state machines: the floor allocates nothing per ping once its buffers exist.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask PingAsync(CancellationToken cancellationToken)
        {
            if (!_idle.TryDequeue(out var connection))
            {
                connection = await RawConnection.OpenAsync(target, _certificate, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _opened);
            }

            await connection.ExchangeAsync(cancellationToken).ConfigureAwait(false);
            _idle.Enqueue(connection);
        }

        /// <summary>
        /// The floor has no pool to fill in the background: it opens the connections itself, two at a time (both
        /// drivers' default maxConnecting), each with its TLS handshake and first ping.
        /// </summary>
        public async ValueTask WarmUpAsync(int connections, CancellationToken cancellationToken)
        {
            var remaining = connections;
            async Task LaneAsync()
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    var connection = await RawConnection.OpenAsync(target, _certificate, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _opened);
                    _idle.Enqueue(connection);
                }
            }

            await Task.WhenAll(LaneAsync(), LaneAsync()).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            while (_idle.TryDequeue(out var connection))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            _certificate?.Dispose();
        }
    }

    /// <summary>One socket with its request bytes and a reply buffer.</summary>
    private sealed class RawConnection : IAsyncDisposable
    {
        private static readonly byte[] PingMessage =
            new OpMsgMessage(new BsonDocument { { "ping", 1 }, { "$db", "admin" } }) { RequestId = 1 }.Encode();

        private readonly Stream _stream;
        private byte[] _reply = new byte[256];

        private RawConnection(Stream stream) => _stream = stream;

        public static async Task<RawConnection> OpenAsync(BenchTarget target, X509Certificate2? certificate, CancellationToken cancellationToken)
        {
            var socket = new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            Stream stream;
            try
            {
                await socket.ConnectAsync(target.EndPoint, cancellationToken).ConfigureAwait(false);
                stream = new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            if (target.Tls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    // The name the drivers connect by (the runtime resumes TLS sessions for names, never for addresses).
                    TargetHost = target.Host ?? target.EndPoint.Address.ToString(),
                    // The benchmark server's certificate is self-signed for loopback: like the drivers' tlsInsecure.
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    ClientCertificates = certificate is null ? null : [certificate],
                }, cancellationToken).ConfigureAwait(false);
            }

            var connection = new RawConnection(stream);
            try
            {
                var length = await connection.ExchangeAsync(cancellationToken).ConfigureAwait(false);
                connection.CheckFirstReply(length);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public ValueTask DisposeAsync() => _stream.DisposeAsync();

        /// <summary>Sends the ping and reads the whole reply; returns its length.</summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<int> ExchangeAsync(CancellationToken cancellationToken)
        {
            await _stream.WriteAsync(PingMessage, cancellationToken).ConfigureAwait(false);
            await _stream.ReadExactlyAsync(_reply.AsMemory(0, MessageHeader.Size), cancellationToken).ConfigureAwait(false);
            var length = BinaryPrimitives.ReadInt32LittleEndian(_reply);
            if (length < MessageHeader.Size || length > WireLimits.DefaultMaxMessageSize)
            {
                throw new InvalidDataException($"The server answered with a message length of {length}.");
            }

            if (length > _reply.Length)
            {
                Array.Resize(ref _reply, length);
            }

            await _stream.ReadExactlyAsync(_reply.AsMemory(MessageHeader.Size, length - MessageHeader.Size), cancellationToken)
                .ConfigureAwait(false);
            return length;
        }

        /// <summary>The floor must measure real pings: the first reply is decoded once and must say ok: 1.</summary>
        private void CheckFirstReply(int length)
        {
            var header = MessageHeader.Read(_reply);
            var reply = OpMsgMessage.Decode(header, _reply.AsSpan(0, length).ToArray());
            if (!reply.Body.TryGetValue("ok", out var ok) || ok.ToDouble() != 1.0)
            {
                throw new InvalidDataException($"The server did not answer ping with ok: 1 but {reply.Body}.");
            }
        }
    }
}
