using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace MongoAuth.TestServer.Authentication.Aws;

/// <summary>What the test server's MONGODB-AWS sends that a real server would not (client validation tests).</summary>
public enum AwsServerFirstFault
{
    /// <summary>A correct server-first message.</summary>
    None,

    /// <summary>A 48-byte server nonce instead of 64.</summary>
    ShortNonce,

    /// <summary>A 64-byte server nonce that does not start with the client's nonce.</summary>
    ForeignNonce,
}

/// <summary>
/// The server side of MONGODB-AWS. mongod forwards the client's signed GetCallerIdentity request to STS and takes the
/// caller's ARN from the reply; here STS is replaced by a local SigV4 check against a table of identities
/// (<see cref="AwsSignatureCheck"/>: exact SignedHeaders, ±15 minute date window, constant-time compare, session token,
/// expiry). The authenticated user is the simplified ARN on <c>$external</c>, with the identity's roles. Failures are
/// AuthenticationFailed (18) with the reason, never with a secret.
/// </summary>
public sealed partial class AwsServerMechanism : IServerSaslMechanism
{
    private readonly ConcurrentDictionary<string, AwsIdentity> _identities = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    /// <summary>Creates the mechanism over <paramref name="identities"/>.</summary>
    public AwsServerMechanism(IEnumerable<AwsIdentity> identities, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(identities);
        foreach (var identity in identities)
        {
            Add(identity);
        }

        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name => "MONGODB-AWS";

    /// <summary>The STS host the server names in its first message (<c>h</c>); the region is derived from it.</summary>
    public string StsHost { get; set; } = "sts.amazonaws.com";

    /// <summary>A deliberate fault in the server-first message.</summary>
    public AwsServerFirstFault Fault { get; set; }

    /// <summary>The clock the date window is checked against.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Conversations that reached the signature check (accepted or not).</summary>
    public int Verifications => _verifications;

    private int _verifications;

    /// <summary>Adds or replaces an identity.</summary>
    public AwsServerMechanism Add(AwsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identities[identity.AccessKeyId] = identity;
        return this;
    }

    /// <inheritdoc />
    public IServerSaslConversation Start(ServerConversationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Conversation(this, context);
    }

    /// <summary>The region the server's host implies, as a client derives it.</summary>
    internal static string RegionOf(string host)
    {
        var labels = host.Split('.');
        return labels.Length == 1 || host is "sts.amazonaws.com" or "aws.amazonaws.com" ? "us-east-1" : labels[1];
    }

    private static ServerCommandException Failed(string reason) => new(18, "AuthenticationFailed", $"Authentication failed: {reason}");

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "MONGODB-AWS refused access key {AccessKeyId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string accessKeyId, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "MONGODB-AWS authenticated {Arn} as {User}")]
    private static partial void LogAccepted(ILogger logger, string arn, string user);

    private sealed class Conversation(AwsServerMechanism server, ServerConversationContext context) : IServerSaslConversation
    {
        private byte[]? _nonce;
        private string? _host;
        private bool _done;

        public ValueTask<ServerSaslStep> StepAsync(ReadOnlyMemory<byte> clientPayload, CancellationToken cancellationToken)
        {
            if (_done)
            {
                throw Failed("the conversation is over");
            }

            var message = Read(clientPayload);
            return ValueTask.FromResult(_nonce is null ? First(message) : Second(message));
        }

        private ServerSaslStep First(BsonDocument message)
        {
            if (context.Database != "$external")
            {
                throw Failed("MONGODB-AWS users are on $external");
            }

            if (message.GetValue("r", BsonNull.Value) is not BsonBinaryData { Bytes.Length: 32 } r)
            {
                throw Failed("the client nonce 'r' is not 32 bytes of binary data");
            }

            if (message.GetValue("p", BsonNull.Value) is not BsonInt32 { Value: 110 })
            {
                throw Failed("the GS2 channel-binding flag 'p' is not 110 ('n')");
            }

            var nonce = new byte[64];
            r.Bytes.CopyTo(nonce, 0);
            RandomNumberGenerator.Fill(nonce.AsSpan(32));
            _nonce = nonce;
            _host = server.StsHost;
            var sent = server.Fault switch
            {
                AwsServerFirstFault.ShortNonce => nonce[..48],
                AwsServerFirstFault.ForeignNonce => RandomNumberGenerator.GetBytes(64),
                _ => nonce,
            };
            var reply = new BsonDocument { { "s", new BsonBinaryData(sent) }, { "h", _host } };
            return new ServerSaslStep(reply.ToBson(), Done: false, User: null);
        }

        private ServerSaslStep Second(BsonDocument message)
        {
            _done = true;
            if (message.GetValue("a", BsonNull.Value) is not BsonString a || message.GetValue("d", BsonNull.Value) is not BsonString d)
            {
                throw Failed("the client's second message lacks 'a' or 'd'");
            }

            var token = message.GetValue("t", BsonNull.Value) switch
            {
                BsonString t => t.Value,
                BsonNull => null,
                _ => throw Failed("the session token 't' is not a string"),
            };
            Interlocked.Increment(ref server._verifications);
            var reason = AwsSignatureCheck.Verify(a.Value, d.Value, token, _nonce!, _host!, RegionOf(_host!), server._identities,
                server.Clock.GetUtcNow(), out var identity);
            if (reason is not null || identity is null)
            {
                var key = a.Value.Split("Credential=", 2) is [_, var rest] ? rest.Split('/', 2)[0] : "(none)";
                LogRefused(server._logger, key, reason ?? "unknown");
                throw Failed(reason ?? "unknown");
            }

            LogAccepted(server._logger, identity.Arn, identity.UserName);
            return new ServerSaslStep(ReadOnlyMemory<byte>.Empty, Done: true,
                new AuthenticatedUser(identity.UserName, "$external", identity.Roles ?? []));
        }

        private static BsonDocument Read(ReadOnlyMemory<byte> payload)
        {
            try
            {
                return BsonSerializer.Deserialize<BsonDocument>(payload.ToArray());
            }
            catch (Exception e) when (e is FormatException or EndOfStreamException or IOException or BsonSerializationException)
            {
                throw Failed("the payload is not a BSON document");
            }
        }
    }
}
