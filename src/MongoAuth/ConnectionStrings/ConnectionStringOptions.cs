using System.Globalization;
using System.Text;

namespace MongoAuth.ConnectionStrings;

/// <summary>The table of every connection-string option the driver knows (MongoDB URI options specification).</summary>
internal static class ConnectionStringOptions
{
    public const string AuthMechanism = "authMechanism";
    public const string AuthMechanismProperties = "authMechanismProperties";
    public const string AuthSource = "authSource";
    public const string GssapiServiceName = "gssapiServiceName";

    private static readonly string[] ReadPreferenceModes = ["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"];
    private static readonly string[] MonitoringModes = ["stream", "poll", "auto"];
    private static readonly string[] KnownCompressors = ["snappy", "zlib", "zstd"];

    /// <summary>Every option, in documentation order.</summary>
    public static readonly IReadOnlyList<ConnectionStringOption> All =
    [
        // Authentication and application.
        new("appname", OptionType.String, "none", true, (s, v) => s with { ApplicationName = (string)v },
            v => Encoding.UTF8.GetByteCount((string)v) > 128 ? "must be at most 128 bytes of UTF-8" : null),
        new(AuthMechanism, OptionType.String, "negotiated SCRAM", true, null) { InvalidIsError = true },
        // Its values can be secret (AWS_SESSION_TOKEN) and the names of unknown ones cannot be told apart from a
        // value cut at a ',', so the whole option is printed redacted.
        new(AuthMechanismProperties, OptionType.KeyValueList, "none", true, null) { Secret = true },
        new(AuthSource, OptionType.String, "see the credential rules", true, null) { InvalidIsError = true },
        new(GssapiServiceName, OptionType.String, "mongodb", true, null)
        { DeprecationAdvice = "use authMechanismProperties=SERVICE_NAME:<name>" },

        // Compression.
        new("compressors", OptionType.StringList, "none", false, (s, v) => s with { Compressors = (IReadOnlyList<string>)v },
            v => ((IReadOnlyList<string>)v).All(c => KnownCompressors.Contains(c, StringComparer.OrdinalIgnoreCase)) ? null : "must list only snappy, zlib or zstd"),
        new("zlibCompressionLevel", OptionType.Integer, "-1", false, (s, v) => s with { ZlibCompressionLevel = (int)v }, Between(-1, 9)),

        // Timeouts.
        new("connectTimeoutMS", OptionType.Integer, "10000 (0 = none)", true,
            (s, v) => s with { ConnectTimeout = (int)v == 0 ? System.Threading.Timeout.InfiniteTimeSpan : Ms(v) }, AtLeast(0)),
        new("socketTimeoutMS", OptionType.Integer, "0 (none)", true, (s, v) => s with { SocketTimeout = (int)v == 0 ? null : Ms(v) }, AtLeast(0)),
        new("serverSelectionTimeoutMS", OptionType.Integer, "30000", true, (s, v) => s with { ServerSelectionTimeout = Ms(v) }, AtLeast(1)),
        new("heartbeatFrequencyMS", OptionType.Integer, "10000", false, (s, v) => s with { HeartbeatFrequency = Ms(v) }, AtLeast(500)),
        new("localThresholdMS", OptionType.Integer, "15", false, (s, v) => s with { LocalThreshold = Ms(v) }, AtLeast(0)),
        new("timeoutMS", OptionType.Integer, "not set (0 = no limit)", true, (s, v) => s with { Timeout = Ms(v) }, AtLeast(0)),

        // Topology.
        new("directConnection", OptionType.Boolean, "not set", true, (s, v) => s with { DirectConnection = (bool)v }),
        new("loadBalanced", OptionType.Boolean, "false", false, (s, v) => s with { LoadBalanced = (bool)v }) { LegacyBooleans = false },
        new("replicaSet", OptionType.String, "none", true, (s, v) => s with { ReplicaSetName = (string)v }),

        // Write concern and reads.
        new("journal", OptionType.Boolean, "not set", false, (s, v) => s with { Journal = (bool)v }),
        new("w", OptionType.String, "not set", false, (s, v) => s with { W = (string)v },
            v => int.TryParse((string)v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n < 0 ? "must be a number of at least 0, \"majority\" or a tag" : null),
        new("wTimeoutMS", OptionType.Integer, "not set", false, (s, v) => s with { WTimeout = Ms(v) }, AtLeast(0))
        { DeprecatedAliases = ["wtimeout"] },
        new("readConcernLevel", OptionType.String, "not set", false, (s, v) => s with { ReadConcernLevel = (string)v }),
        new("readPreference", OptionType.String, "primary", false, (s, v) => s with { ReadPreference = s.ReadPreference with { Mode = Topology.ReadPreference.ParseMode((string)v)!.Value } }, OneOf(ReadPreferenceModes)),
        new("readPreferenceTags", OptionType.TagSet, "none", false,
            (s, v) => s with { ReadPreference = s.ReadPreference with { TagSets = [.. (List<Dictionary<string, string>>)v] } }),
        new("maxStalenessSeconds", OptionType.Integer, "-1 (none)", false,
            (s, v) => s with { ReadPreference = s.ReadPreference with { MaxStaleness = (int)v == -1 ? null : TimeSpan.FromSeconds((int)v) } },
            v => (int)v == -1 || (int)v >= 90 ? null : "must be -1 or at least 90"),

        // Retries and monitoring.
        new("retryReads", OptionType.Boolean, "true", false, (s, v) => s with { RetryReads = (bool)v }),
        new("retryWrites", OptionType.Boolean, "true", false, (s, v) => s with { RetryWrites = (bool)v }),
        new("serverMonitoringMode", OptionType.String, "auto", false, (s, v) => s with { ServerMonitoringMode = (string)v }, OneOf(MonitoringModes)),
        new("serverSelectionTryOnce", OptionType.Boolean, "true", false, (s, v) => s with { ServerSelectionTryOnce = (bool)v }),
        new("maxAdaptiveRetries", OptionType.Integer, "2", false, (s, v) => s with { MaxAdaptiveRetries = (int)v }, AtLeast(0)),
        new("enableOverloadRetargeting", OptionType.Boolean, "false", false, (s, v) => s with { EnableOverloadRetargeting = (bool)v }),

        // SRV.
        new("srvMaxHosts", OptionType.Integer, "0 (all)", true, (s, v) => s with { SrvMaxHosts = (int)v }, AtLeast(0)),
        new("srvServiceName", OptionType.String, "mongodb", true, (s, v) => s with { SrvServiceName = (string)v },
            v => ((string)v).All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? null : "must be letters, digits and '-' only"),

        // Pool.
        new("maxPoolSize", OptionType.Integer, "100 (0 = no limit)", true, (s, v) => s with { MaxPoolSize = (int)v }, AtLeast(0)),
        new("minPoolSize", OptionType.Integer, "0", true, (s, v) => s with { MinPoolSize = (int)v }, AtLeast(0)),
        new("maxIdleTimeMS", OptionType.Integer, "0 (never)", true, (s, v) => s with { MaxIdleTime = (int)v == 0 ? null : Ms(v) }, AtLeast(0)),
        new("maxConnecting", OptionType.Integer, "2", true, (s, v) => s with { MaxConnecting = (int)v }, AtLeast(1)),
        new("waitQueueTimeoutMS", OptionType.Integer, "server-selection timeout", true,
            (s, v) => s with { WaitQueueTimeout = (int)v == 0 ? null : Ms(v) }, AtLeast(0)),

        // Proxy.
        new("proxyHost", OptionType.String, "none", false, (s, v) => s with { ProxyHost = (string)v }) { RepeatIsError = true },
        new("proxyPort", OptionType.Integer, "1080", false, (s, v) => s with { ProxyPort = (int)v }, Between(1, 65535)) { RepeatIsError = true },
        new("proxyUsername", OptionType.String, "none", false, (s, v) => s with { ProxyUsername = (string)v },
            v => Encoding.UTF8.GetByteCount((string)v) > 255 ? "must be at most 255 bytes of UTF-8" : null) { RepeatIsError = true },
        new("proxyPassword", OptionType.String, "none", false, (s, v) => s with { ProxyPassword = (string)v },
            v => Encoding.UTF8.GetByteCount((string)v) > 255 ? "must be at most 255 bytes of UTF-8" : null) { RepeatIsError = true, Secret = true },

        // TLS.
        new("tls", OptionType.Boolean, "false (true for mongodb+srv)", true, (s, v) => s with { UseTls = (bool)v }) { Aliases = ["ssl"] },
        new("tlsCAFile", OptionType.String, "system store", true, (s, v) => s with { Tls = s.Tls with { CAFile = (string)v } }),
        new("tlsCertificateKeyFile", OptionType.String, "none", true, (s, v) => s with { Tls = s.Tls with { CertificateKeyFile = (string)v } }),
        new("tlsCertificateKeyFilePassword", OptionType.String, "none", true,
            (s, v) => s with { Tls = s.Tls with { CertificateKeyFilePassword = (string)v } }) { Secret = true },
        new("tlsAllowInvalidCertificates", OptionType.Boolean, "false", true, (s, v) => s with { Tls = s.Tls with { AllowInvalidCertificates = (bool)v } }),
        new("tlsAllowInvalidHostnames", OptionType.Boolean, "false", true, (s, v) => s with { Tls = s.Tls with { AllowInvalidHostnames = (bool)v } }),
        new("tlsInsecure", OptionType.Boolean, "false", true, (s, v) => s with { Tls = s.Tls with { Insecure = (bool)v } }),
        new("tlsDisableOCSPEndpointCheck", OptionType.Boolean, "false", true, (s, v) => s with { Tls = s.Tls with { DisableOcspEndpointCheck = (bool)v } }),
        new("tlsDisableCertificateRevocationCheck", OptionType.Boolean, "false", true,
            (s, v) => s with { Tls = s.Tls with { DisableCertificateRevocationCheck = (bool)v } }),
    ];

    /// <summary>TLS options that may not appear together, whatever their values (specification: valid:false).</summary>
    public static readonly IReadOnlyList<(string First, string Second)> TlsConflicts =
    [
        ("tlsInsecure", "tlsAllowInvalidCertificates"),
        ("tlsInsecure", "tlsAllowInvalidHostnames"),
        ("tlsInsecure", "tlsDisableOCSPEndpointCheck"),
        ("tlsInsecure", "tlsDisableCertificateRevocationCheck"),
        ("tlsAllowInvalidCertificates", "tlsDisableOCSPEndpointCheck"),
        ("tlsAllowInvalidCertificates", "tlsDisableCertificateRevocationCheck"),
        ("tlsDisableOCSPEndpointCheck", "tlsDisableCertificateRevocationCheck"),
    ];

    /// <summary>The canonical names of the secret options.</summary>
    public static readonly IReadOnlyList<string> Secrets = [.. All.Where(o => o.Secret).Select(o => o.Name)];

    private static readonly Dictionary<string, ConnectionStringOption> ByLowerName = BuildIndex();

    /// <summary>Finds an option by any of its names, ignoring ASCII case.</summary>
    public static ConnectionStringOption? Find(string key) => ByLowerName.GetValueOrDefault(key.ToLowerInvariant());

    /// <summary>
    /// The option an unknown name is most likely a misspelling of (<c>tlss</c> → <c>tls</c>): the known name, alias
    /// included, at the smallest edit distance ignoring case, when that distance is 1 (2 for names of 6 letters or
    /// more); otherwise null. Names shorter than 3 letters get no suggestion.
    /// </summary>
    public static string? SuggestFor(string unknown)
    {
        if (unknown.Length < 3)
        {
            return null;
        }
        var limit = unknown.Length >= 6 ? 2 : 1;
        var lower = unknown.ToLowerInvariant();
        string? best = null;
        var bestDistance = limit + 1;
        foreach (var (name, option) in ByLowerName)
        {
            var distance = EditDistance(lower, name, bestDistance);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (option.Name, distance);
            }
        }
        return best;
    }

    /// <summary>Damerau–Levenshtein (optimal string alignment) distance, giving up at <paramref name="stop"/>.</summary>
    private static int EditDistance(string a, string b, int stop)
    {
        if (Math.Abs(a.Length - b.Length) >= stop || b.Length > 64)
        {
            return stop;
        }
        // Three rows (the transposition looks two back), on the stack: no allocation per comparison.
        var width = b.Length + 1;
        Span<int> rows = stackalloc int[3 * width];
        for (var j = 0; j < width; j++)
        {
            rows[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            var current = rows.Slice(i % 3 * width, width);
            var previous = rows.Slice((i - 1) % 3 * width, width);
            var before = rows.Slice((i + 1) % 3 * width, width);
            current[0] = i;
            var rowMinimum = i;
            for (var j = 1; j < width; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d = Math.Min(d, before[j - 2] + 1);
                }
                current[j] = d;
                rowMinimum = Math.Min(rowMinimum, d);
            }
            if (rowMinimum >= stop)
            {
                return stop;
            }
        }
        return rows[a.Length % 3 * width + b.Length];
    }

    private static Dictionary<string, ConnectionStringOption> BuildIndex()
    {
        var index = new Dictionary<string, ConnectionStringOption>(StringComparer.Ordinal);
        foreach (var option in All)
        {
            foreach (var name in option.Aliases.Concat(option.DeprecatedAliases).Prepend(option.Name))
            {
                index.Add(name.ToLowerInvariant(), option);
            }
        }

        return index;
    }

    private static TimeSpan Ms(object value) => TimeSpan.FromMilliseconds((int)value);

    private static Func<object, string?> AtLeast(int min) =>
        v => (int)v >= min ? null : string.Create(CultureInfo.InvariantCulture, $"must be at least {min}");

    private static Func<object, string?> Between(int min, int max) =>
        v => (int)v >= min && (int)v <= max ? null : string.Create(CultureInfo.InvariantCulture, $"must be from {min} to {max}");

    private static Func<object, string?> OneOf(string[] allowed) =>
        v => allowed.Contains((string)v, StringComparer.OrdinalIgnoreCase) ? null : "must be one of " + string.Join(", ", allowed);
}
