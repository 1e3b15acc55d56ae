using MongoDB.Bson;

namespace MongoAuth.Topology;

/// <summary>Which members a read may go to (server-selection, "Read preference").</summary>
public enum ReadPreferenceMode
{
    /// <summary>Only the primary.</summary>
    Primary,
    /// <summary>The primary when there is one, otherwise a matching secondary.</summary>
    PrimaryPreferred,
    /// <summary>Only matching secondaries.</summary>
    Secondary,
    /// <summary>A matching secondary when there is one, otherwise the primary.</summary>
    SecondaryPreferred,
    /// <summary>Any matching member within the latency window.</summary>
    Nearest,
}

/// <summary>
/// Where reads go: a mode, tag sets tried in order (the first that matches some member wins; an empty set matches
/// every member), and how stale a secondary may be (<c>maxStalenessSeconds</c>, at least 90 s).
/// </summary>
/// <param name="Mode">The mode.</param>
public sealed record ReadPreference(ReadPreferenceMode Mode)
{
    /// <summary>The smallest maxStalenessSeconds a server accepts.</summary>
    public static readonly TimeSpan SmallestMaxStaleness = TimeSpan.FromSeconds(90);

    /// <summary>Reads from the primary only (the default).</summary>
    public static ReadPreference Primary { get; } = new(ReadPreferenceMode.Primary);

    /// <summary>Reads from the primary when there is one.</summary>
    public static ReadPreference PrimaryPreferred { get; } = new(ReadPreferenceMode.PrimaryPreferred);

    /// <summary>Reads from secondaries only.</summary>
    public static ReadPreference Secondary { get; } = new(ReadPreferenceMode.Secondary);

    /// <summary>Reads from a secondary when there is one.</summary>
    public static ReadPreference SecondaryPreferred { get; } = new(ReadPreferenceMode.SecondaryPreferred);

    /// <summary>Reads from the nearest member.</summary>
    public static ReadPreference Nearest { get; } = new(ReadPreferenceMode.Nearest);

    /// <summary>Tag sets, tried in order; empty matches every member.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TagSets { get; init; } = [];

    /// <summary>How stale a secondary may be; null = no limit.</summary>
    public TimeSpan? MaxStaleness { get; init; }

    /// <summary>The mode as the connection string and <c>$readPreference</c> spell it (<c>secondaryPreferred</c>).</summary>
    public string ModeName => Mode switch
    {
        ReadPreferenceMode.Primary => "primary",
        ReadPreferenceMode.PrimaryPreferred => "primaryPreferred",
        ReadPreferenceMode.Secondary => "secondary",
        ReadPreferenceMode.SecondaryPreferred => "secondaryPreferred",
        _ => "nearest",
    };

    /// <summary>Parses a mode name (case-insensitive); null when it is not one.</summary>
    public static ReadPreferenceMode? ParseMode(string name) => name.ToLowerInvariant() switch
    {
        "primary" => ReadPreferenceMode.Primary,
        "primarypreferred" => ReadPreferenceMode.PrimaryPreferred,
        "secondary" => ReadPreferenceMode.Secondary,
        "secondarypreferred" => ReadPreferenceMode.SecondaryPreferred,
        "nearest" => ReadPreferenceMode.Nearest,
        _ => null,
    };

    /// <summary>The <c>$readPreference</c> document sent to mongos or a replica-set member.</summary>
    public BsonDocument ToDocument()
    {
        var document = new BsonDocument("mode", ModeName);
        if (TagSets.Count > 0)
        {
            document["tags"] = new BsonArray(TagSets.Select(set => new BsonDocument(set.Select(t => new BsonElement(t.Key, t.Value)))));
        }

        if (MaxStaleness is { } staleness)
        {
            document["maxStalenessSeconds"] = (int)staleness.TotalSeconds;
        }

        return document;
    }

    /// <summary>The mode name, then tags and staleness when set.</summary>
    public override string ToString() => ModeName +
        (TagSets.Count == 0 ? "" : " tags " + string.Join(" | ", TagSets.Select(s => "{" + string.Join(",", s.Select(t => $"{t.Key}:{t.Value}")) + "}"))) +
        (MaxStaleness is { } m ? $" maxStalenessSeconds {(int)m.TotalSeconds}" : "");
}
