using System.Collections.Immutable;

namespace MongoAuth.ConnectionStrings;

/// <summary>Builds the credential of a connection string from its userinfo and auth options (auth.md rules).</summary>
internal static class ConnectionStringCredential
{
    /// <summary>
    /// An '@' or an authMechanism configures a credential; a database or authSource alone does not.
    /// authMechanismProperties or gssapiServiceName without a credential are an error.
    /// </summary>
    public static MongoCredential? Build(ConnectionStringParts parts, IReadOnlyDictionary<string, object> values)
    {
        var mechanism = values.TryGetValue(ConnectionStringOptions.AuthMechanism, out var m) ? (string)m : null;
        if (!parts.HasUserInfo && mechanism is null)
        {
            foreach (var name in new[] { ConnectionStringOptions.AuthMechanismProperties, ConnectionStringOptions.GssapiServiceName })
            {
                if (values.ContainsKey(name))
                {
                    throw ConnectionStringSyntax.Error(name, $"The option {name} needs a credential: give a user name or authMechanism.");
                }
            }

            return null;
        }

        mechanism = mechanism is null ? null : MongoCredential.CanonicalMechanism(mechanism);
        var source = values.TryGetValue(ConnectionStringOptions.AuthSource, out var s) ? (string)s
            : MongoCredential.UsesDatabaseAsSource(mechanism) ? parts.Database : null;

        var properties = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.OrdinalIgnoreCase);
        if (values.TryGetValue(ConnectionStringOptions.AuthMechanismProperties, out var list))
        {
            foreach (var (key, value) in (List<KeyValuePair<string, string>>)list)
            {
                properties[key] = value;
            }
        }

        if (values.TryGetValue(ConnectionStringOptions.GssapiServiceName, out var serviceName) && !properties.ContainsKey(MongoCredential.ServiceNameProperty))
        {
            properties[MongoCredential.ServiceNameProperty] = serviceName;
        }

        var credential = new MongoCredential(mechanism, source, parts.Username, parts.Password, properties.ToImmutable());
        credential.Descriptor?.CheckConnectionString(credential);
        credential.ValidateShape();
        return credential;
    }
}
