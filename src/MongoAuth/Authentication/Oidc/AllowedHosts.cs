namespace MongoAuth.Authentication.Oidc;

/// <summary>
/// ALLOWED_HOSTS of the human flow: the hosts a user's token may be sent to, checked before any callback runs. A
/// pattern <c>*.example.com</c> matches any subdomain at any depth (not example.com itself); other patterns match the
/// host exactly. Case-insensitive; ports are not part of the comparison.
/// </summary>
internal static class AllowedHosts
{
    /// <summary>The specification's default list (MongoDB Atlas and local hosts).</summary>
    public static readonly IReadOnlyList<string> Default =
        ["*.mongodb.net", "*.mongodb-qa.net", "*.mongodb-dev.net", "*.mongodbgov.net", "localhost", "127.0.0.1", "::1", "*.mongo.com"];

    public static bool Allows(IReadOnlyList<string> patterns, string host)
    {
        // An IPv6 literal may arrive bracketed; the list holds it bare.
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal)
                ? bare.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && bare.Length > pattern.Length - 1
                : string.Equals(bare, pattern, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
