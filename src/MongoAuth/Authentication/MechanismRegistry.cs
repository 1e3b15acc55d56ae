using System.Collections.Concurrent;

namespace MongoAuth.Authentication;

/// <summary>
/// Creates the mechanism of one client. Called once per client, when the client is built, with the client's
/// credential and settings; it validates the credential and its properties and throws
/// <see cref="MongoConfigurationException"/> when they are wrong.
/// </summary>
/// <param name="credential">The client's credential (its <see cref="MongoCredential.Mechanism"/> may be null when the
/// mechanism is negotiated).</param>
/// <param name="settings">The client's settings.</param>
public delegate IAuthenticationMechanism MechanismFactory(MongoCredential credential, MongoClientSettings settings);

/// <summary>
/// Maps mechanism names (compared case-insensitively) to factories. One registry per settings object, never static:
/// built-ins are registered by <see cref="CreateDefault"/>, and applications add or replace mechanisms with
/// <see cref="Register"/> before building the client. A client creates its mechanism once, so caches inside it
/// (SCRAM keys, OIDC tokens, AWS credentials) are shared by every connection of that client.
/// </summary>
public sealed class MechanismRegistry
{
    private readonly ConcurrentDictionary<string, MechanismFactory> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A registry holding every built-in mechanism.</summary>
    public static MechanismRegistry CreateDefault()
    {
        var registry = new MechanismRegistry();
        foreach (var (name, factory) in BuiltInMechanisms.All)
        {
            registry.Register(name, factory);
        }
        return registry;
    }

    /// <summary>Registers (or replaces) the factory of the mechanism <paramref name="name"/>.</summary>
    public void Register(string name, MechanismFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        _factories[name] = factory;
    }

    /// <summary>Whether a mechanism is registered under <paramref name="name"/>.</summary>
    public bool IsRegistered(string name) => _factories.ContainsKey(name);

    /// <summary>The registered mechanism names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Creates the mechanism <paramref name="name"/> for one client, or explains how to register it.</summary>
    internal IAuthenticationMechanism Create(string name, MongoCredential credential, MongoClientSettings settings)
    {
        if (!_factories.TryGetValue(name, out var factory))
        {
            var known = _factories.IsEmpty ? "none" : string.Join(", ", Names);
            throw new MongoConfigurationException(
                $"The authentication mechanism '{name}' is not registered (registered: {known}). Register it before " +
                $"building the client with settings.Mechanisms.Register(\"{name}\", factory), or reference the package " +
                "that provides it and call its registration method.")
            { OptionName = "authMechanism" };
        }
        var mechanism = factory(credential, settings)
            ?? throw new MongoConfigurationException($"The factory registered for '{name}' returned no mechanism.") { OptionName = "authMechanism" };
        return mechanism;
    }
}
