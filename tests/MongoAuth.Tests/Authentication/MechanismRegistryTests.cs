using MongoAuth.Authentication;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.Authentication;

public sealed class MechanismRegistryTests
{
    [Fact]
    public void An_unregistered_mechanism_fails_at_client_construction_naming_it_and_the_registration_call()
    {
        var settings = new MongoClientSettings { Credential = TestSettings.Credential("EXAMPLE-MECH"), Mechanisms = new MechanismRegistry() };

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(settings));

        Assert.Contains("'EXAMPLE-MECH'", error.Message);
        Assert.Contains("settings.Mechanisms.Register(\"EXAMPLE-MECH\"", error.Message);
        Assert.DoesNotContain("s3cr3t", error.Message);
    }

    [Fact]
    public void Negotiation_without_SCRAM_registered_fails_at_construction()
    {
        var settings = new MongoClientSettings { Credential = TestSettings.Credential(null), Mechanisms = new MechanismRegistry() };

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(settings));

        Assert.Contains("SCRAM-SHA-256", error.Message);
    }

    [Fact]
    public void The_factory_runs_once_per_client_with_the_clients_credential_and_settings()
    {
        var calls = new List<(MongoCredential, MongoClientSettings)>();
        var registry = new MechanismRegistry();
        registry.Register("fake-sasl", (credential, settings) =>
        {
            calls.Add((credential, settings));
            return new FakeSaslMechanism();
        });
        var settings = new MongoClientSettings { Credential = TestSettings.Credential("FAKE-SASL"), Mechanisms = registry };

        using var first = new MongoClient(settings);
        using var second = new MongoClient(settings);

        Assert.Equal(2, calls.Count);
        Assert.Same(settings.Credential, calls[0].Item1);
        Assert.Same(first.Settings, calls[0].Item2);
    }

    [Fact]
    public void A_factory_that_rejects_the_credential_fails_construction_with_its_message()
    {
        var registry = new MechanismRegistry();
        registry.Register("PICKY", (_, _) => throw new MongoConfigurationException("PICKY needs SERVICE_NAME"));
        var settings = new MongoClientSettings { Credential = TestSettings.Credential("PICKY"), Mechanisms = registry };

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(settings));

        Assert.Equal("PICKY needs SERVICE_NAME", error.Message);
    }

    [Fact]
    public void Registration_replaces_and_lists_names_case_insensitively()
    {
        var registry = new MechanismRegistry();
        registry.Register("Custom", (_, _) => new FakeSaslMechanism("A"));
        registry.Register("CUSTOM", (_, _) => new FakeSaslMechanism("B"));

        Assert.True(registry.IsRegistered("custom"));
        Assert.Single(registry.Names);
        Assert.Equal("B", registry.Create("custom", TestSettings.Credential("custom"), new MongoClientSettings()).Name);
        Assert.Throws<ArgumentException>(() => registry.Register("", (_, _) => new FakeSaslMechanism()));
    }
}
