using System.Collections.Immutable;
using MongoAuth.Authentication;

namespace MongoAuth.Tests.Support;

/// <summary>Settings and credentials for tests (the connection-string parser lives on another branch).</summary>
internal static class TestSettings
{
    public static MongoCredential Credential(string? mechanism, string? user = "alice", string? password = "s3cr3t-pw", string? source = null) =>
        new(mechanism, source, user, password, ImmutableDictionary<string, object>.Empty);

    /// <summary>Settings for one scripted server with the fake mechanism registered under its name.</summary>
    public static MongoClientSettings For(ScriptedServer server, FakeSaslMechanism? mechanism = null, Func<MechanismRegistry, MechanismRegistry>? register = null)
    {
        var registry = new MechanismRegistry();
        if (mechanism is not null)
        {
            registry = registry.WithMechanism(mechanism.Name, (_, _) => mechanism);
        }
        registry = register?.Invoke(registry) ?? registry;
        return new MongoClientSettings
        {
            Servers = [server.Address],
            Credential = mechanism is null ? null : Credential(mechanism.Name),
            Mechanisms = registry,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SocketTimeout = TimeSpan.FromSeconds(10),
            ServerSelectionTimeout = TimeSpan.FromSeconds(5),
        };
    }
}
