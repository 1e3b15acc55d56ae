using MongoDB.Bson;

namespace MongoAuth;

/// <summary>
/// The Stable API version the client declares (MongoDB 5.0 and later; the versioned-API specification). When set on
/// <see cref="MongoClientSettings.ServerApi"/>, every command the client sends — the handshake, authentication and
/// application commands alike — carries <c>apiVersion</c>, and <c>apiStrict</c> / <c>apiDeprecationErrors</c> when
/// given; the handshake uses <c>hello</c> instead of the legacy <c>isMaster</c>. It is set from code only: the
/// connection string has no option for it.
/// </summary>
/// <param name="Version">The API version; "1" is the only one servers define.</param>
public sealed record ServerApi(string Version)
{
    /// <summary>API version 1.</summary>
    public static ServerApi V1 { get; } = new("1");

    /// <summary>With true, the server refuses commands and options outside the declared version (code 323);
    /// null sends nothing (the server's default, false).</summary>
    public bool? Strict { get; init; }

    /// <summary>With true, the server refuses commands deprecated in the declared version; null sends nothing.</summary>
    public bool? DeprecationErrors { get; init; }

    /// <summary>Adds the API parameters to a command document about to be sent.</summary>
    internal void AppendTo(BsonDocument command)
    {
        command["apiVersion"] = Version;
        if (Strict is { } strict)
        {
            command["apiStrict"] = strict;
        }
        if (DeprecationErrors is { } deprecationErrors)
        {
            command["apiDeprecationErrors"] = deprecationErrors;
        }
    }
}
