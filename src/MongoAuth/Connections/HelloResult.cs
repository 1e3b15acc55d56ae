using System.Globalization;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Connections;

/// <summary>
/// What the handshake reply told us about the server. Every field the client reads is type-checked: a field of the
/// wrong BSON type, or a limit no server could mean, is refused with an error naming the field, what was expected and
/// what arrived, rather than read as a default.
/// </summary>
internal sealed record HelloResult(
    int MaxWireVersion,
    int MaxMessageSizeBytes,
    int MaxBsonObjectSize,
    bool IsWritablePrimary,
    bool HelloOk,
    IReadOnlyList<string>? SaslSupportedMechs,
    BsonDocument? SpeculativeAuthenticate)
{
    /// <summary>MongoDB 4.2: the oldest server this driver speaks to.</summary>
    public const int MinWireVersion = 8;

    public const int DefaultMaxMessageSizeBytes = WireLimits.DefaultMaxMessageSize;
    public const int DefaultMaxBsonObjectSize = WireLimits.DefaultMaxDocumentSize;

    private const string IntegerType = "a 32-bit integer (int32, int64 or a double with an integral value)";

    /// <summary>
    /// maxWriteBatchSize as the client uses it: the server's value, at most <see cref="WireLimits.DefaultMaxWriteBatchSize"/>.
    /// </summary>
    public int MaxWriteBatchSize { get; init; } = WireLimits.DefaultMaxWriteBatchSize;

    /// <summary>The server's logicalSessionTimeoutMinutes; null when it does not support sessions (then no <c>lsid</c> is sent).</summary>
    public int? LogicalSessionTimeoutMinutes { get; init; }

    /// <summary>The replica set's name (setName); null outside a replica set.</summary>
    public string? SetName { get; init; }

    /// <summary>Whether the server is a mongos (<c>msg: "isdbgrid"</c>).</summary>
    public bool IsMongos { get; init; }

    /// <summary>
    /// The backend behind a load balancer that this connection reached (<c>serviceId</c>, sent only to a hello with
    /// <c>loadBalanced: true</c>); null otherwise. Pools count generations per service in load-balanced mode.
    /// </summary>
    public ObjectId? ServiceId { get; init; }

    /// <summary>
    /// Whether writes may carry <c>txnNumber</c> (retryable-writes spec: sessions supported and the server is a
    /// replica-set member or a mongos; a standalone refuses transaction numbers with code 20).
    /// </summary>
    public bool SupportsRetryableWrites => LogicalSessionTimeoutMinutes is not null && (SetName is not null || IsMongos);

    /// <summary>
    /// Reads a handshake reply; refuses servers older than wire version 8, fields of the wrong type and absurd
    /// limits (docs/connection-strings.md, "Wire limits"). <paramref name="maxMessageSizeCap"/> is the client's cap
    /// (<see cref="MongoClientSettings.MaxWireMessageSize"/>): larger server limits are lowered to it.
    /// </summary>
    public static HelloResult Parse(BsonDocument reply, MongoServerAddress server, int maxMessageSizeCap = WireLimits.DefaultMaxMessageSize)
    {
        var fields = new Fields(reply, server);
        var maxWire = fields.Integer("maxWireVersion") ?? 0;
        if (maxWire < MinWireVersion)
        {
            throw new MongoConnectionException(
                $"Server {server} reports maxWireVersion {maxWire}, but MongoAuth needs at least {MinWireVersion} (MongoDB 4.2). Upgrade the server.")
            { Server = server };
        }

        var maxMessageSize = fields.Limit("maxMessageSizeBytes", WireLimits.DefaultMaxMessageSize, WireLimits.SmallestMessage, maxMessageSizeCap);
        var maxBsonObjectSize = fields.Limit("maxBsonObjectSize", WireLimits.DefaultMaxDocumentSize, BsonSlices.MinDocumentSize, maxMessageSizeCap);
        var maxWriteBatchSize = fields.Limit("maxWriteBatchSize", WireLimits.DefaultMaxWriteBatchSize, 1, WireLimits.DefaultMaxWriteBatchSize);
        // Each field is read (and so checked) before they are combined.
        var isWritablePrimary = fields.Boolean("isWritablePrimary");
        var isMaster = fields.Boolean("ismaster");
        var isMongos = fields.String("msg") == "isdbgrid";
        var helloOk = fields.Boolean("helloOk");
        var mechanisms = fields.Strings("saslSupportedMechs");
        var speculative = fields.Document("speculativeAuthenticate");
        var sessionTimeout = fields.Integer("logicalSessionTimeoutMinutes");
        var setName = fields.String("setName");
        var serviceId = fields.ObjectId("serviceId");
        return new HelloResult(
            (int)maxWire,
            maxMessageSize,
            maxBsonObjectSize,
            isWritablePrimary || isMaster || isMongos,
            helloOk,
            mechanisms,
            speculative)
        {
            MaxWriteBatchSize = maxWriteBatchSize,
            LogicalSessionTimeoutMinutes = sessionTimeout is { } minutes ? (int)minutes : null,
            SetName = setName,
            IsMongos = isMongos,
            ServiceId = serviceId,
        };
    }

    /// <summary>Typed access to the reply's fields; each accessor refuses a present field of another type.</summary>
    private readonly struct Fields(BsonDocument reply, MongoServerAddress server)
    {
        /// <summary>An integral number that fits an int32, or null when absent.</summary>
        public long? Integer(string name)
        {
            if (!reply.TryGetValue(name, out var value))
            {
                return null;
            }

            long? integer = value.BsonType switch
            {
                BsonType.Int32 => value.AsInt32,
                BsonType.Int64 => value.AsInt64,
                BsonType.Double when double.IsFinite(value.AsDouble) && Math.Floor(value.AsDouble) == value.AsDouble
                    && Math.Abs(value.AsDouble) <= long.MaxValue => (long)value.AsDouble,
                _ => null,
            };
            if (integer is not { } result)
            {
                throw Invalid(name, IntegerType, value);
            }

            return result is < int.MinValue or > int.MaxValue
                ? throw Invalid(name, IntegerType, value, "it does not fit in 32 bits")
                : result;
        }

        /// <summary>
        /// A size limit: the default when absent; refused when below <paramref name="floor"/> (no message or document
        /// could meet it, so the reply is broken); lowered to <paramref name="cap"/> when above it (the client never
        /// uses more than its own cap, whatever the server accepts). Values beyond 32 bits count as above the cap.
        /// </summary>
        public int Limit(string name, int fallback, int floor, int cap)
        {
            if (!reply.TryGetValue(name, out var value))
            {
                return Math.Min(fallback, cap);
            }

            long? number = value.BsonType switch
            {
                BsonType.Int32 => value.AsInt32,
                BsonType.Int64 => value.AsInt64,
                BsonType.Double when double.IsFinite(value.AsDouble) && Math.Floor(value.AsDouble) == value.AsDouble =>
                    (long)Math.Clamp(value.AsDouble, long.MinValue, long.MaxValue),
                _ => null,
            };
            if (number is not { } limit)
            {
                throw Invalid(name, IntegerType, value);
            }

            if (limit < floor)
            {
                throw Invalid(name, string.Create(CultureInfo.InvariantCulture, $"at least {floor}"), value,
                    limit <= 0 ? "a limit must be positive" : "no valid message or document is that small");
            }

            return (int)Math.Min(limit, cap);
        }

        /// <summary>A boolean; false when absent.</summary>
        public bool Boolean(string name) =>
            reply.TryGetValue(name, out var value) && (value.BsonType == BsonType.Boolean ? value.AsBoolean : throw Invalid(name, "a boolean", value));

        /// <summary>A string, or null when absent.</summary>
        public string? String(string name) =>
            !reply.TryGetValue(name, out var value) ? null
            : value.BsonType == BsonType.String ? value.AsString
            : throw Invalid(name, "a string", value);

        /// <summary>An ObjectId, or null when absent.</summary>
        public ObjectId? ObjectId(string name) =>
            !reply.TryGetValue(name, out var value) ? null
            : value.BsonType == BsonType.ObjectId ? value.AsObjectId
            : throw Invalid(name, "an ObjectId", value);

        /// <summary>An embedded document, or null when absent.</summary>
        public BsonDocument? Document(string name) =>
            !reply.TryGetValue(name, out var value) ? null
            : value.BsonType == BsonType.Document ? value.AsBsonDocument
            : throw Invalid(name, "a document", value);

        /// <summary>An array of strings, or null when absent. Unknown names are kept (the caller ignores them).</summary>
        public List<string>? Strings(string name)
        {
            if (!reply.TryGetValue(name, out var value))
            {
                return null;
            }

            if (value.BsonType != BsonType.Array)
            {
                throw Invalid(name, "an array of strings", value);
            }

            var array = value.AsBsonArray;
            var result = new List<string>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                result.Add(array[i].BsonType == BsonType.String
                    ? array[i].AsString
                    : throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"), "a string", array[i]));
            }

            return result;
        }

        private MongoConnectionException Invalid(string field, string expected, BsonValue received, string? why = null) =>
            new($"Server {server} sent an invalid hello reply: field '{field}' must be {expected}, but it is {Describe(received)}" +
                (why is null ? "." : $" ({why}).") + " The connection was closed; check that the address points at a MongoDB server.")
            {
                Server = server,
            };

        private static string Describe(BsonValue value)
        {
            var type = value.BsonType switch
            {
                BsonType.Int32 => "an int32",
                BsonType.Int64 => "an int64",
                BsonType.Double => "a double",
                BsonType.Array => "an array",
                BsonType.Document => "a document",
                BsonType.Null => "null",
                _ => $"a {value.BsonType.ToString().ToLowerInvariant()}",
            };
            var text = value.BsonType switch
            {
                BsonType.String => $" \"{Shorten(value.AsString)}\"",
                BsonType.Boolean => value.AsBoolean ? " true" : " false",
                BsonType.Int32 or BsonType.Int64 or BsonType.Double => " " + Convert.ToString(BsonTypeMapper.MapToDotNetValue(value), CultureInfo.InvariantCulture),
                _ => string.Empty,
            };
            return type + text;
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}
