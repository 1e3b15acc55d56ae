using MongoAuth.Authentication;
using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.Credentials;

/// <summary>Each mechanism's descriptor: its shape, its defaults as the public credential shows them, its source
/// rule and the messages of its validation (naming the field and what to change).</summary>
public sealed class DescriptorTests
{
    [Theory]
    [InlineData("SCRAM-SHA-1", "DatabaseOrAdmin", "Required", "Required", 0)]
    [InlineData("SCRAM-SHA-256", "DatabaseOrAdmin", "Required", "Required", 0)]
    [InlineData("PLAIN", "DatabaseOrExternal", "Required", "Required", 0)]
    [InlineData("GSSAPI", "ExternalOnly", "Required", "Optional", 4)]
    [InlineData("MONGODB-X509", "ExternalOnly", "Optional", "Forbidden", 0)]
    [InlineData("MONGODB-AWS", "ExternalOnly", "Optional", "Optional", 2)]
    [InlineData("MONGODB-OIDC", "ExternalOnly", "Optional", "Forbidden", 6)]
    public void Every_built_in_has_a_descriptor_stating_its_rules(string name, string source, string user, string password, int properties)
    {
        var descriptor = MechanismRegistry.Default.Find(name.ToLowerInvariant())!;

        var rule = source switch
        {
            "ExternalOnly" => AuthSourceRule.ExternalOnly,
            "DatabaseOrExternal" => AuthSourceRule.DatabaseOrExternal,
            _ => AuthSourceRule.DatabaseOrAdmin,
        };
        Assert.Equal(name, descriptor.Name);
        Assert.Same(rule, descriptor.SourceRule);
        Assert.Equal(user, descriptor.Username.Kind.ToString());
        Assert.Equal(password, descriptor.Password.Kind.ToString());
        Assert.Equal(properties, descriptor.Properties!.Count);
    }

    [Fact]
    public void The_public_credential_shows_GSSAPI_defaults()
    {
        var credential = MongoCredential.CreateGssapiCredential("alice");

        Assert.Empty(credential.MechanismProperties); // what was given
        Assert.Equal("mongodb", credential.EffectiveMechanismProperties["SERVICE_NAME"]);
        Assert.Equal("none", credential.EffectiveMechanismProperties["canonicalize_host_name"]);
        Assert.False(credential.EffectiveMechanismProperties.ContainsKey("SERVICE_REALM"));
        Assert.Equal("mongodb", credential.GetMechanismProperty<string>("SERVICE_NAME"));
        Assert.Equal("mongodb", MechanismRegistry.Default.Find("GSSAPI")!.FindProperty("Service_Name")!.DefaultValue);
    }

    [Fact]
    public void A_given_property_wins_over_the_default_whatever_its_case()
    {
        var fromCode = MongoCredential.CreateGssapiCredential("alice").WithMechanismProperty("service_name", "other");
        var fromString = ConnectionString.Parse("mongodb://alice@h/?authMechanism=GSSAPI&authMechanismProperties=service_name:other").Credential!;

        Assert.Equal("other", fromCode.GetMechanismProperty<string>("SERVICE_NAME"));
        Assert.Equal("other", fromString.GetMechanismProperty<string>("SERVICE_NAME"));
        Assert.Single(fromCode.EffectiveMechanismProperties, p => p.Key.Equals("SERVICE_NAME", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("none", fromString.EffectiveMechanismProperties["CANONICALIZE_HOST_NAME"]);
    }

    [Fact]
    public void Mechanisms_without_defaults_show_only_what_was_given()
    {
        Assert.Empty(MongoCredential.CreateCredential(null, "u", "p").EffectiveMechanismProperties);
        Assert.Empty(MongoCredential.CreateMongoX509Credential().EffectiveMechanismProperties);
        Assert.Equal(["ENVIRONMENT"], MongoCredential.CreateOidcCredential().WithMechanismProperty("ENVIRONMENT", "test").EffectiveMechanismProperties.Keys);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256", null, null, "admin")]
    [InlineData("SCRAM-SHA-256", null, "db", "db")]
    [InlineData("SCRAM-SHA-256", "other", "db", "other")]
    [InlineData("PLAIN", null, null, "$external")]
    [InlineData("PLAIN", null, "db", "db")]
    [InlineData("PLAIN", "ldap", "db", "ldap")]
    [InlineData("GSSAPI", null, "db", "$external")] // the database is not the source
    [InlineData("MONGODB-X509", null, "db", "$external")]
    [InlineData("MONGODB-AWS", null, "db", "$external")]
    [InlineData("MONGODB-OIDC", null, "db", "$external")]
    [InlineData("MY-MECHANISM", null, "db", "db")] // not built in: authSource, else database, else admin
    public void Source_rules(string mechanism, string? authSource, string? database, string expected)
    {
        var user = mechanism is "MONGODB-AWS" or "MONGODB-OIDC" or "MONGODB-X509" ? "" : "u:p@";
        var properties = mechanism == "MONGODB-OIDC" ? "&authMechanismProperties=ENVIRONMENT:test" : "";
        var query = $"authMechanism={mechanism}{properties}" + (authSource is null ? "" : $"&authSource={authSource}");
        var uri = $"mongodb://{user}h/{database}?{query}";

        Assert.Equal(expected, ConnectionString.Parse(uri).Credential!.EffectiveSource);
    }

    [Theory]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authSource=admin", "authSource",
        "GSSAPI authenticates against $external only, but authSource is 'admin'. Remove authSource or set it to $external.")]
    [InlineData("mongodb://h/?authMechanism=GSSAPI", "username",
        "GSSAPI needs a user name (the Kerberos principal, user or user@REALM). Put it in the connection string")]
    [InlineData("mongodb://u:secret@h/?authMechanism=MONGODB-X509", "password",
        "MONGODB-X509 takes no password: the client certificate authenticates. Remove it from the connection string (write user@host, not user:password@host)")]
    [InlineData("mongodb://u@h/?authMechanism=MONGODB-AWS", "username",
        "MONGODB-AWS takes no user name in the connection string: AWS credentials come from the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")]
    [InlineData("mongodb://u:p@h/?authMechanism=SCRAM-SHA-1&authMechanismProperties=SERVICE_NAME:x", "authMechanismProperties",
        "SCRAM-SHA-1 takes no mechanism properties, but SERVICE_NAME was given. Remove authMechanismProperties.")]
    [InlineData("mongodb://u:p@h/?authMechanismProperties=SERVICE_NAME:x", "authMechanismProperties",
        "Without authMechanism the driver authenticates with SCRAM (SCRAM-SHA-256, or SCRAM-SHA-1 where the server lacks it), which takes no mechanism properties")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAMES:x", "authMechanismProperties",
        "GSSAPI does not take the mechanism property SERVICE_NAMES; it takes SERVICE_NAME, CANONICALIZE_HOST_NAME, SERVICE_REALM, SERVICE_HOST. Check the name")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=CANONICALIZE_HOST_NAME:secretish", "authMechanismProperties",
        "The GSSAPI property CANONICALIZE_HOST_NAME must be one of: none, forward, forwardAndReverse, true, false.")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_REALM:", "authMechanismProperties",
        "The GSSAPI property SERVICE_REALM must not be empty")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=OIDC_CALLBACK:secretish", "authMechanismProperties",
        "The MONGODB-OIDC property OIDC_CALLBACK can be given only from code (MongoCredential.WithMechanismProperty(\"OIDC_CALLBACK\", value))")]
    public void Validation_messages_name_the_field_and_what_to_change_and_never_a_value(string uri, string option, string message)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => ConnectionString.Parse(uri));

        Assert.Equal(option, error.OptionName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mongodb://u:p@h/?authMechanism=SCRAM-SHA-256")]
    [InlineData("mongodb://u:p@h/db?authMechanism=SCRAM-SHA-1")]
    [InlineData("mongodb://u:p@h")]
    [InlineData("mongodb://u:@h")] // an empty password is a password
    [InlineData("mongodb://u:p@h/?authMechanism=PLAIN")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI")] // ticket cache
    [InlineData("mongodb://u:p@h/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:db,CANONICALIZE_HOST_NAME:forward")]
    public void Complete_credentials_build_a_client(string uri)
    {
        using var client = new MongoClient(uri);

        Assert.NotNull(client.Settings.Credential);
    }

    [Fact]
    public void Constructors_ask_the_descriptor()
    {
        var noPassword = new MongoCredential("PLAIN", null, "alice", null, null);
        var withSource = new MongoCredential("GSSAPI", "admin", "alice", null, null);

        var plain = Assert.Throws<MongoConfigurationException>(() => new MongoAuth.Authentication.Plain.PlainMechanism(noPassword, false));
        var gssapi = Assert.Throws<MongoConfigurationException>(() => new MongoAuth.Authentication.Gssapi.GssapiMechanism(withSource));

        Assert.StartsWith("PLAIN needs a password (the LDAP password, sent to the server as it is) for user 'alice'.", plain.Message, StringComparison.Ordinal);
        Assert.Equal("authSource", gssapi.OptionName);
    }
}
