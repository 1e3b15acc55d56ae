using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>
/// A generator of bad input: valid connection strings (together they use every option and every host form) with
/// one to four edits, each inserting, replacing or deleting text at a random place. The inserted pieces are the
/// ones that break parsers: delimiters, percent-escapes (valid, invalid, NUL, encoded surrogates), raw NUL and lone
/// surrogates, option fragments and long repeats.
/// </summary>
internal static class ConnectionStringMutations
{
    public static readonly string[] ValidSeeds =
    [
        "mongodb://u:p@a:1,[::1]:2/db?tls=true&appname=x&readPreferenceTags=dc:ny&readPreferenceTags=",
        "mongodb+srv://c.example.com/?srvMaxHosts=2&authSource=admin&srvServiceName=mdb",
        "mongodb://%2Ftmp%2Fm.sock/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:x,CANONICALIZE_HOST_NAME:forward",
        "mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure,TOKEN_RESOURCE:api://r",
        "mongodb://alice@h1,h2:27018/?authMechanism=PLAIN&appname=%C3%A9t%C3%A9&replicaSet=rs0&w=majority&journal=true",
        "mongodb://127.0.0.1:27017/?tls=true&tlsCAFile=ca.pem&tlsCertificateKeyFile=%2Ftmp%2Fclient.pem&tlsCertificateKeyFilePassword=pw",
        "mongodb://h/?tls=true&tlsInsecure=true&connectTimeoutMS=100&socketTimeoutMS=0&serverSelectionTimeoutMS=5&timeoutMS=10",
        "mongodb://h/?proxyHost=p&proxyPort=1080&proxyUsername=u&proxyPassword=pw&maxPoolSize=5&minPoolSize=1&maxConnecting=2",
        "mongodb://h/?compressors=zstd,zlib&zlibCompressionLevel=3&heartbeatFrequencyMS=500&localThresholdMS=1&maxIdleTimeMS=9",
        "mongodb://h/?readPreference=secondary&maxStalenessSeconds=90&readConcernLevel=local&retryReads=false&retryWrites=1",
        "mongodb://h/?directConnection=true&loadBalanced=false&wTimeoutMS=5&waitQueueTimeoutMS=1&serverMonitoringMode=poll",
        "mongodb://u@h/?authMechanism=MONGODB-X509&ssl=true&tlsAllowInvalidHostnames=true&tlsDisableOCSPEndpointCheck=true",
        "mongodb://h/?authMechanism=MONGODB-AWS&maxAdaptiveRetries=1&enableOverloadRetargeting=true&serverSelectionTryOnce=false",
        "mongodb://u:p@h/db?authMechanism=SCRAM-SHA-256&authSource=admin&gssapiServiceName=s&wtimeout=3&appname=app",
    ];

    private static readonly string[] Pieces =
    [
        "&", "@", ":", "/", "?", "=", ",", "[", "]", "%", "#", "\\", " ", "\"", "$", "+", "-", ".", "0", "1", "a", "Z",
        "%00", "%2F", "%25", "%3A", "%40", "%26", "%2C", "%3D", "%zz", "%4", "%C3%A9", "%ED%A0%80", "%FF", "%C3",
        "\0", "\uD800", "\uDC00", "\uDBFF\uDFFF", "\uD83D", "é", "\u00A0", "\t", "\n",
        "[::1]", ":0", ":65536", ":-1", ".sock", "%2Ftmp%2Fx.sock", "99999999999", "-1", "true", "yes", "majority",
        "&tls=true", "&tls=false", "&ssl=false", "&appname=", "&appname=\uD800", "&readPreferenceTags=", "&readPreferenceTags=a:b,c",
        "&authMechanism=PLAIN", "&authMechanism=GSSAPI", "&authMechanism=MONGODB-X509", "&authMechanism=MONGODB-OIDC", "&authSource=",
        "&authMechanismProperties=ENVIRONMENT:test", "&proxyHost=p", "&proxyPassword=x", "&tlsCAFile=", "&tlsCAFile=%00",
        "&tlsCertificateKeyFile=a%00b", "&tlsInsecure=true", "&directConnection=true", "&loadBalanced=true", "&srvMaxHosts=1",
        "&minPoolSize=9&maxPoolSize=1", "&maxConnecting=0", "&connectTimeoutMS=2147483647", "&timeoutMS=-1", "&w=-1",
        new string('a', 300), new string('9', 40), new string(':', 30), new string('%', 20), new string('&', 50),
        new string('@', 20), new string('\uD800', 5), string.Concat(Enumerable.Repeat("&readPreferenceTags=x:y", 40)),
        string.Concat(Enumerable.Repeat("h,", 50)), string.Concat(Enumerable.Repeat("%E2%82%AC", 60)),
    ];

    private sealed record Edit(int Kind, int Position, int Piece, int Length);

    private static readonly Gen<Edit> EditGen =
        from kind in Gen.Choose(0, 2)
        from position in Gen.Choose(0, 1_000_000)
        from piece in Gen.Choose(0, Pieces.Length - 1)
        from length in Gen.Choose(1, 6)
        select new Edit(kind, position, piece, length);

    /// <summary>A valid seed with one to four edits.</summary>
    public static readonly Gen<string> Mutated =
        from seed in Gen.Elements(ValidSeeds)
        from count in Gen.Choose(1, 4)
        from edits in Gen.ArrayOf(EditGen, count)
        select edits.Aggregate(seed, Apply);

    private static string Apply(string text, Edit edit)
    {
        var at = text.Length == 0 ? 0 : edit.Position % (text.Length + 1);
        var length = Math.Min(edit.Length, text.Length - at);
        var piece = Pieces[edit.Piece];
        return edit.Kind switch
        {
            0 => text.Insert(at, piece),
            1 => text.Remove(at, length),
            _ => text.Remove(at, length).Insert(at, piece),
        };
    }

    /// <summary>The text with control characters and surrogates escaped, so a failure report can be pasted back.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            builder.Append(c < 0x20 || char.IsSurrogate(c) || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return builder.ToString();
    }
}
