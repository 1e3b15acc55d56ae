using System.Reflection;
using System.Text;
using MongoAuth.ConnectionStrings;
using Microsoft.Extensions.Logging;

namespace MongoAuth;

public sealed partial record MongoClientSettings
{
    /// <summary>
    /// Settings from a connection string. Warnings go to <paramref name="loggerFactory"/> (category
    /// <c>MongoAuth.ConnectionString</c>), which also becomes <see cref="LoggerFactory"/>. For <c>mongodb+srv</c> it
    /// sets <see cref="UsesSrv"/>, <see cref="SrvHost"/> and <see cref="UseTls"/> (unless the string says otherwise)
    /// and leaves DNS resolution to the client. Precedence: defaults, then the string, then whatever you set
    /// afterwards with <c>with { … }</c> (what you set last wins); TXT records never override the string or code.
    /// </summary>
    /// <exception cref="MongoConfigurationException">The string is malformed or breaks a rule.</exception>
    public static MongoClientSettings FromConnectionString(string uri, ILoggerFactory? loggerFactory = null) =>
        ConnectionString.Parse(uri, loggerFactory?.CreateLogger("MongoAuth.ConnectionString")).Settings with
        {
            LoggerFactory = loggerFactory,
            ConnectionStringWarningsLoggedTo = loggerFactory,
        };

    /// <summary>
    /// The warnings of the connection string these settings came from (unknown or misspelled, invalid, repeated,
    /// deprecated options). The client logs them when it is built unless they already went to its logger factory.
    /// </summary>
    internal IReadOnlyList<ConnectionStringWarning> ConnectionStringWarnings { get; init; } = [];

    /// <summary>The logger factory the warnings were logged to while parsing, if any.</summary>
    internal ILoggerFactory? ConnectionStringWarningsLoggedTo { get; init; }

    /// <summary>Canonical names of the options the connection string gave (so TXT records do not override them).</summary>
    internal IReadOnlySet<string> UriOptions { get; init; } = new HashSet<string>();

    private bool PrintMembers(StringBuilder builder)
    {
        var first = true;
        foreach (var property in typeof(MongoClientSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            builder.Append(first ? "" : ", ").Append(property.Name).Append(" = ");
            var value = property.GetValue(this);
            builder.Append(property.Name == nameof(ProxyPassword) && value is not null ? "<redacted>" : Print(value));
            first = false;
        }

        return true;
    }

    private static string Print(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Print)) + "]",
        _ => value.ToString() ?? "",
    };
}
