using System.Collections.Immutable;

namespace MongoAuth.Authentication;

/// <summary>
/// The mechanisms a client can use, by name (compared case-insensitively). Immutable: adding or replacing a mechanism
/// returns a new registry, so the registry a client was built with can never change under it, and settings copied
/// with <c>with { … }</c> never share a registration by accident. Never static: <see cref="Default"/> holds the
/// built-ins, and each settings object holds its own registry.
/// </summary>
/// <example>
/// <code>
/// var settings = MongoClientSettings.FromConnectionString("mongodb://alice@db.example/?authMechanism=MY-SASL");
/// settings = settings with { Mechanisms = settings.Mechanisms.WithMechanism("MY-SASL", (c, s) => new MySaslMechanism(c)) };
/// </code>
/// </example>
public sealed class MechanismRegistry
{
    private readonly ImmutableDictionary<string, MechanismDescriptor> _descriptors;

    /// <summary>An empty registry (no mechanism at all; <see cref="Default"/> has the built-ins).</summary>
    public MechanismRegistry()
        : this(ImmutableDictionary.Create<string, MechanismDescriptor>(StringComparer.OrdinalIgnoreCase))
    {
    }

    private MechanismRegistry(ImmutableDictionary<string, MechanismDescriptor> descriptors) => _descriptors = descriptors;

    /// <summary>The built-in mechanisms: SCRAM-SHA-1, SCRAM-SHA-256, PLAIN, GSSAPI, MONGODB-X509, and the rules (not yet
    /// the implementation) of MONGODB-AWS and MONGODB-OIDC.</summary>
    public static MechanismRegistry Default { get; } = new MechanismRegistry().WithMechanisms(BuiltInMechanisms.All);

    /// <summary>The registered mechanism names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _descriptors.Values.Select(d => d.Name).Order(StringComparer.Ordinal)];

    /// <summary>A registry with <paramref name="descriptor"/> added, replacing any mechanism of the same name.</summary>
    public MechanismRegistry WithMechanism(MechanismDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentException.ThrowIfNullOrEmpty(descriptor.Name, nameof(descriptor));
        return new MechanismRegistry(_descriptors.SetItem(descriptor.Name, descriptor));
    }

    /// <summary>
    /// A registry where <paramref name="factory"/> creates the mechanism <paramref name="name"/>. Replacing a
    /// registered mechanism keeps its rules (source, user name, password, properties, hints) and swaps only the
    /// implementation; a new name gets the generic rules. Derive from <see cref="MechanismDescriptor"/> for rules of
    /// your own.
    /// </summary>
    public MechanismRegistry WithMechanism(string name, MechanismFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        var rules = _descriptors.GetValueOrDefault(name);
        return WithMechanism(new FactoryMechanismDescriptor(rules?.Name ?? name, factory, rules));
    }

    /// <summary>A registry without the mechanism <paramref name="name"/> (unchanged when it is not registered).</summary>
    public MechanismRegistry WithoutMechanism(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new MechanismRegistry(_descriptors.Remove(name));
    }

    /// <summary>Whether a mechanism is registered under <paramref name="name"/>.</summary>
    public bool IsRegistered(string name) => _descriptors.ContainsKey(name);

    /// <summary>The descriptor registered under <paramref name="name"/> (its rules and property defaults), or null.</summary>
    public MechanismDescriptor? Find(string name) => _descriptors.GetValueOrDefault(name);

    /// <summary>The registered names.</summary>
    public override string ToString() => $"[{string.Join(", ", Names)}]";

    /// <summary>
    /// Creates the mechanism <paramref name="name"/> for one client after checking the credential against its rules,
    /// or explains how to register it.
    /// </summary>
    internal IAuthenticationMechanism Create(string name, MongoCredential credential, MongoClientSettings settings)
    {
        if (!_descriptors.TryGetValue(name, out var descriptor))
        {
            var known = _descriptors.IsEmpty ? "none" : string.Join(", ", Names);
            throw new MongoConfigurationException(
                $"The authentication mechanism '{name}' is not registered (registered: {known}). Register it before " +
                $"building the client: settings with {{ Mechanisms = settings.Mechanisms.WithMechanism(\"{name}\", factory) }}, " +
                "or reference the package that provides it and call its registration method.")
            { OptionName = "authMechanism" };
        }

        descriptor.Validate(credential);
        return descriptor.Create(credential, settings)
            ?? throw new MongoConfigurationException($"The descriptor registered for '{name}' created no mechanism.") { OptionName = "authMechanism" };
    }

    private MechanismRegistry WithMechanisms(IEnumerable<MechanismDescriptor> descriptors) =>
        descriptors.Aggregate(this, (registry, descriptor) => registry.WithMechanism(descriptor));
}
