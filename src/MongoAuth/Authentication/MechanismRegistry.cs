namespace MongoAuth.Authentication;

/// <summary>
/// Maps mechanism names to factories. One registry per client settings; never static. Placeholder until the
/// authentication framework lands.
/// </summary>
public sealed class MechanismRegistry
{
    /// <summary>A registry holding every built-in mechanism.</summary>
    public static MechanismRegistry CreateDefault() => new();

    /// <summary>Registers a mechanism factory under <paramref name="name"/>.</summary>
    public void Register(string name, object factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
    }
}
