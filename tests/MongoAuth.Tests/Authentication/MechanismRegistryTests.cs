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
        Assert.Contains("settings.Mechanisms.WithMechanism(\"EXAMPLE-MECH\"", error.Message);
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
        var registry = new MechanismRegistry().WithMechanism("fake-sasl", (credential, settings) =>
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
        var registry = new MechanismRegistry().WithMechanism("PICKY", (_, _) => throw new MongoConfigurationException("PICKY needs SERVICE_NAME"));
        var settings = new MongoClientSettings { Credential = TestSettings.Credential("PICKY"), Mechanisms = registry };

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(settings));

        Assert.Equal("PICKY needs SERVICE_NAME", error.Message);
    }

    [Fact]
    public void Registration_replaces_and_lists_names_case_insensitively()
    {
        var registry = new MechanismRegistry()
            .WithMechanism("Custom", (_, _) => new FakeSaslMechanism("A"))
            .WithMechanism("CUSTOM", (_, _) => new FakeSaslMechanism("B"));

        Assert.True(registry.IsRegistered("custom"));
        Assert.Single(registry.Names);
        Assert.Equal("B", registry.Create("custom", TestSettings.Credential("custom"), new MongoClientSettings()).Name);
        Assert.Throws<ArgumentException>(() => registry.WithMechanism("", (_, _) => new FakeSaslMechanism()));
        Assert.False(registry.WithoutMechanism("CUSTOM").IsRegistered("custom"));
    }

    [Fact]
    public void Registering_returns_a_new_registry_and_leaves_the_original_as_it_was()
    {
        var original = MechanismRegistry.Default;

        var extended = original.WithMechanism("MY-SASL", (_, _) => new FakeSaslMechanism("MY-SASL"));

        Assert.NotSame(original, extended);
        Assert.True(extended.IsRegistered("MY-SASL"));
        Assert.False(original.IsRegistered("MY-SASL"));
        Assert.False(MechanismRegistry.Default.IsRegistered("MY-SASL"));
        Assert.Equal(["GSSAPI", "MONGODB-AWS", "MONGODB-OIDC", "MONGODB-X509", "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"], original.Names);
    }

    [Fact]
    public void Registering_in_a_with_copy_does_not_reach_the_settings_it_was_copied_from_or_their_client()
    {
        var used = new List<string>();
        var settings = new MongoClientSettings
        {
            Credential = TestSettings.Credential("FAKE-SASL"),
            Mechanisms = new MechanismRegistry().WithMechanism("FAKE-SASL", (_, _) => Record("first")),
        };
        using var client = new MongoClient(settings);

        var copy = settings with { Mechanisms = settings.Mechanisms.WithMechanism("FAKE-SASL", (_, _) => Record("second")) };
        using var second = new MongoClient(copy);
        using var third = new MongoClient(settings);

        Assert.Equal(["first", "second", "first"], used);
        Assert.NotSame(settings.Mechanisms, copy.Mechanisms);
        Assert.Same(settings.Mechanisms, client.Settings.Mechanisms);

        FakeSaslMechanism Record(string which)
        {
            used.Add(which);
            return new FakeSaslMechanism();
        }
    }

    [Fact]
    public void A_client_keeps_the_registry_it_was_built_with()
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb://alice:pw@127.0.0.1/?authMechanism=SCRAM-SHA-256");
        using var client = new MongoClient(settings);
        var before = client.Settings.Mechanisms;

        var replaced = client.Settings.Mechanisms.WithoutMechanism("SCRAM-SHA-256");

        Assert.Same(before, client.Settings.Mechanisms);
        Assert.True(client.Settings.Mechanisms.IsRegistered("SCRAM-SHA-256"));
        Assert.False(replaced.IsRegistered("SCRAM-SHA-256"));
    }

    [Fact]
    public void Replacing_a_built_in_implementation_keeps_its_rules()
    {
        var registry = MechanismRegistry.Default.WithMechanism("gssapi", (_, _) => new FakeSaslMechanism("GSSAPI"));
        var descriptor = registry.Find("GSSAPI")!;
        var settings = new MongoClientSettings
        {
            Credential = new MongoCredential("GSSAPI", "admin", "alice", null, null),
            Mechanisms = registry,
        };

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(settings));

        Assert.Equal("GSSAPI", descriptor.Name);
        Assert.Equal(AuthSourceRule.ExternalOnly, descriptor.SourceRule);
        Assert.Equal("mongodb", descriptor.FindProperty("service_name")!.DefaultValue);
        Assert.Equal("authSource", error.OptionName);
    }

    [Fact]
    public void A_descriptor_registered_by_the_application_brings_its_rules_to_client_construction()
    {
        var registry = MechanismRegistry.Default.WithMechanism(new TokenDescriptor());
        var withoutToken = new MongoClientSettings { Credential = MongoCredential.FromComponents("TOKEN-SASL", null, "alice", null), Mechanisms = registry };
        var withPassword = new MongoClientSettings { Credential = MongoCredential.FromComponents("TOKEN-SASL", null, "alice", "pw"), Mechanisms = registry };
        var complete = new MongoClientSettings
        {
            Credential = MongoCredential.FromComponents("TOKEN-SASL", null, "alice", null).WithMechanismProperty("TOKEN_FILE", "/run/token"),
            Mechanisms = registry,
        };

        var missing = Assert.Throws<MongoConfigurationException>(() => new MongoClient(withoutToken));
        var forbidden = Assert.Throws<MongoConfigurationException>(() => new MongoClient(withPassword));
        using var client = new MongoClient(complete);

        Assert.Equal("authMechanismProperties", missing.OptionName);
        Assert.Contains("TOKEN_FILE", missing.Message);
        Assert.Equal("password", forbidden.OptionName);
        Assert.Contains("TOKEN-SASL takes no password: the token authenticates", forbidden.Message);
        Assert.Equal("$external", registry.Find("TOKEN-SASL")!.ResolveSource(complete.Credential!));
    }

    /// <summary>A mechanism of the application's own, with rules: no password, a required TOKEN_FILE, $external.</summary>
    private sealed class TokenDescriptor : MechanismDescriptor
    {
        public override string Name => "TOKEN-SASL";

        public override AuthSourceRule SourceRule => AuthSourceRule.ExternalOnly;

        public override CredentialRequirement Username => CredentialRequirement.Optional("the token's subject");

        public override CredentialRequirement Password => CredentialRequirement.Forbidden("the token authenticates");

        public override IReadOnlyList<MechanismProperty> Properties => [new("TOKEN_FILE", "Where the token is.")];

        protected override void CheckComplete(MongoCredential credential)
        {
            if (!credential.MechanismProperties.ContainsKey("TOKEN_FILE"))
            {
                throw Refuse("authMechanismProperties", "TOKEN-SASL needs TOKEN_FILE: add authMechanismProperties=TOKEN_FILE:<path>.");
            }
        }

        public override IAuthenticationMechanism Create(MongoCredential credential, MongoClientSettings settings) =>
            new FakeSaslMechanism(Name, ResolveSource(credential));
    }
}
