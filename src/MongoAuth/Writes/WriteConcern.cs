using System.Globalization;
using MongoDB.Bson;

namespace MongoAuth;

/// <summary>
/// How much acknowledgement a write waits for: <c>w</c> (a number of members, or "majority" or a tag set name),
/// <c>wtimeout</c> and <c>j</c> (journal). <see cref="Acknowledged"/> sends nothing and lets the server apply its
/// default. Set once in the connection string (<c>w=majority&amp;wtimeoutMS=5000&amp;journal=true</c>) or per
/// collection with <c>WithWriteConcern</c>.
/// </summary>
public sealed class WriteConcern : IEquatable<WriteConcern>
{
    private WriteConcern(BsonValue? w, TimeSpan? wTimeout, bool? journal)
    {
        W = w;
        WTimeout = wTimeout;
        Journal = journal;
    }

    /// <summary>Creates a write concern waiting for <paramref name="w"/> members (0: no acknowledgement).</summary>
    public WriteConcern(int w, TimeSpan? wTimeout = null, bool? journal = null)
        : this((BsonValue)(w >= 0 ? new BsonInt32(w) : throw new ArgumentOutOfRangeException(nameof(w), w, "w must be 0 or more.")), wTimeout, journal)
    {
    }

    /// <summary>Creates a write concern waiting for a mode: "majority" or a tag set name.</summary>
    public WriteConcern(string mode, TimeSpan? wTimeout = null, bool? journal = null)
        : this(new BsonString(string.IsNullOrEmpty(mode) ? throw new ArgumentException("The write concern mode must not be empty.", nameof(mode)) : mode), wTimeout, journal)
    {
    }

    /// <summary>The server's default acknowledgement (nothing is sent).</summary>
    public static WriteConcern Acknowledged { get; } = new((BsonValue?)null, null, null);

    /// <summary>No acknowledgement (<c>w: 0</c>): results report <c>IsAcknowledged == false</c> and errors are not seen.</summary>
    public static WriteConcern Unacknowledged { get; } = new(new BsonInt32(0), null, null);

    /// <summary>Acknowledged by the primary (<c>w: 1</c>).</summary>
    public static WriteConcern W1 { get; } = new(new BsonInt32(1), null, null);

    /// <summary>Acknowledged by a majority of the replica set (<c>w: "majority"</c>).</summary>
    public static WriteConcern WMajority { get; } = new(new BsonString("majority"), null, null);

    /// <summary><c>w</c>: a number or a mode string; null = the server's default.</summary>
    public BsonValue? W { get; }

    /// <summary><c>wtimeout</c>: how long the server waits for the acknowledgements.</summary>
    public TimeSpan? WTimeout { get; }

    /// <summary><c>j</c>: whether the write must reach the journal first.</summary>
    public bool? Journal { get; }

    /// <summary>Whether the server answers the write (anything but <c>w: 0</c> without journal).</summary>
    public bool IsAcknowledged => !(W is BsonInt32 { Value: 0 } && Journal != true);

    /// <summary>Whether nothing is set (the server's default is used and no <c>writeConcern</c> is sent).</summary>
    public bool IsServerDefault => W is null && WTimeout is null && Journal is null;

    /// <summary>A copy with another <c>w</c>.</summary>
    public WriteConcern With(int w) => new(w, WTimeout, Journal);

    /// <summary>The write concern of a connection string's <c>w</c>, <c>wtimeoutMS</c> and <c>journal</c>.</summary>
    internal static WriteConcern FromSettings(MongoClientSettings settings)
    {
        BsonValue? w = settings.W is null ? null
            : int.TryParse(settings.W, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? new BsonInt32(n)
            : new BsonString(settings.W);
        var concern = new WriteConcern(w, settings.WTimeout, settings.Journal);
        return concern.IsServerDefault ? Acknowledged : concern;
    }

    /// <summary>The <c>writeConcern</c> document of a command; null for the server's default.</summary>
    internal BsonDocument? ToCommandDocument()
    {
        if (IsServerDefault)
        {
            return null;
        }

        var document = new BsonDocument();
        if (W is not null)
        {
            document["w"] = W;
        }

        if (WTimeout is { } timeout)
        {
            document["wtimeout"] = (long)timeout.TotalMilliseconds;
        }

        if (Journal is { } journal)
        {
            document["j"] = journal;
        }

        return document;
    }

    /// <inheritdoc />
    public bool Equals(WriteConcern? other) =>
        other is not null && Equals(W, other.W) && WTimeout == other.WTimeout && Journal == other.Journal;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WriteConcern);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(W, WTimeout, Journal);

    /// <inheritdoc />
    public override string ToString() => ToCommandDocument()?.ToJson() ?? "{ }";
}
