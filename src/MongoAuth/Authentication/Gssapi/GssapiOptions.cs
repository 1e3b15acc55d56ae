namespace MongoAuth.Authentication.Gssapi;

/// <summary>How the host name in the service principal is canonicalized (CANONICALIZE_HOST_NAME).</summary>
internal enum CanonicalizeHostName
{
    /// <summary>Use the host as given ("none", legacy "false"). The default.</summary>
    None,

    /// <summary>Use the canonical name after following CNAMEs ("forward").</summary>
    Forward,

    /// <summary>Use the reverse (PTR) name of the first address ("forwardAndReverse", legacy "true").</summary>
    ForwardAndReverse,
}

/// <summary>The GSSAPI mechanism properties of a credential, parsed once.</summary>
/// <param name="ServiceName">SERVICE_NAME: the service part of the principal; default <c>mongodb</c>.</param>
/// <param name="ServiceHost">SERVICE_HOST: replaces the connection's host in the principal; null = use the host.</param>
/// <param name="ServiceRealm">SERVICE_REALM: the realm of the service (cross-realm); null = from krb5.conf.</param>
/// <param name="Canonicalize">CANONICALIZE_HOST_NAME.</param>
internal sealed record GssapiOptions(
    string ServiceName,
    string? ServiceHost,
    string? ServiceRealm,
    CanonicalizeHostName Canonicalize)
{
    // The names, defaults and allowed values are declared once, by GssapiDescriptor.
    internal const string ServiceNameProperty = GssapiDescriptor.ServiceName;
    internal const string ServiceHostProperty = GssapiDescriptor.ServiceHost;
    internal const string ServiceRealmProperty = GssapiDescriptor.ServiceRealm;
    internal const string CanonicalizeHostNameProperty = GssapiDescriptor.CanonicalizeHostName;
    internal const string DefaultServiceName = GssapiDescriptor.DefaultServiceName;

    /// <summary>The property names GSSAPI understands (compare case-insensitively).</summary>
    internal static IReadOnlyList<string> SupportedProperties { get; } = [.. GssapiDescriptor.Instance.Properties.Select(p => p.Name)];

    /// <summary>
    /// Reads the properties GSSAPI understands; other names are left to the credential validation.
    /// Throws <see cref="MongoConfigurationException"/> for an invalid value.
    /// </summary>
    internal static GssapiOptions FromProperties(IReadOnlyDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        string? Text(string name)
        {
            foreach (var (key, value) in properties)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    var text = value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                    if (string.IsNullOrEmpty(text))
                    {
                        throw new MongoConfigurationException($"GSSAPI property {name} must not be empty.") { OptionName = "authMechanismProperties" };
                    }

                    return text;
                }
            }

            return null;
        }

        return new GssapiOptions(
            Text(ServiceNameProperty) ?? DefaultServiceName,
            Text(ServiceHostProperty),
            Text(ServiceRealmProperty),
            ParseCanonicalize(Text(CanonicalizeHostNameProperty)));
    }

    /// <summary>
    /// Parses a CANONICALIZE_HOST_NAME value: none, forward, forwardAndReverse, or the legacy true / false
    /// (case-insensitive); null means none. Anything else is a <see cref="MongoConfigurationException"/>.
    /// </summary>
    internal static CanonicalizeHostName ParseCanonicalize(string? value) => value?.ToUpperInvariant() switch
    {
        null or "NONE" or "FALSE" => CanonicalizeHostName.None,
        "FORWARD" => CanonicalizeHostName.Forward,
        "FORWARDANDREVERSE" or "TRUE" => CanonicalizeHostName.ForwardAndReverse,
        _ => throw new MongoConfigurationException(
            $"GSSAPI property {CanonicalizeHostNameProperty} is '{value}'; use none, forward, forwardAndReverse, true or false.")
        {
            OptionName = "authMechanismProperties",
        },
    };
}
