using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.Credentials;

/// <summary>§0–§7: credentials from connection strings and factories, validated per mechanism.</summary>
public sealed class CredentialTests
{
    [Theory]
    [InlineData("mongodb://u:p@h", null, "admin", "u")] // negotiated, default source admin
    [InlineData("mongodb://u:p@h/db", null, "db", "u")] // database is the source
    [InlineData("mongodb://u:p@h/db?authSource=other", null, "other", "u")] // authSource wins
    [InlineData("mongodb://u:@h", null, "admin", "u")] // empty password is a password
    [InlineData("mongodb://u:p@h/?authMechanism=SCRAM-SHA-1", "SCRAM-SHA-1", "admin", "u")]
    [InlineData("mongodb://u:p@h/?authMechanism=scram-sha-256", "SCRAM-SHA-256", "admin", "u")] // any case
    [InlineData("mongodb://u:p@h/db?authMechanism=PLAIN", "PLAIN", "db", "u")]
    [InlineData("mongodb://u:p@h/?authMechanism=PLAIN", "PLAIN", "$external", "u")]
    [InlineData("mongodb://u%40REALM@h/?authMechanism=GSSAPI", "GSSAPI", "$external", "u@REALM")]
    [InlineData("mongodb://u@h/db?authMechanism=GSSAPI", "GSSAPI", "$external", "u")] // db ignored
    [InlineData("mongodb://u:p@h/?authMechanism=GSSAPI", "GSSAPI", "$external", "u")] // password optional
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authSource=$external", "GSSAPI", "$external", "u")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:other,CANONICALIZE_HOST_NAME:forward", "GSSAPI", "$external", "u")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=canonicalize_host_name:true", "GSSAPI", "$external", "u")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=CANONICALIZE_HOST_NAME:forwardAndReverse,SERVICE_REALM:R,SERVICE_HOST:x", "GSSAPI", "$external", "u")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-X509", "MONGODB-X509", "$external", null)] // user optional
    [InlineData("mongodb://CN%3Dclient@h/?authMechanism=MONGODB-X509", "MONGODB-X509", "$external", "CN=client")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-AWS", "MONGODB-AWS", "$external", null)]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test", "MONGODB-OIDC", "$external", null)]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:k8s", "MONGODB-OIDC", "$external", null)]
    [InlineData("mongodb://client@h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure,TOKEN_RESOURCE:mongodb://res", "MONGODB-OIDC", "$external", "client")] // value split at first colon
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:gcp,TOKEN_RESOURCE:aud", "MONGODB-OIDC", "$external", null)]
    [InlineData("mongodb://u:p@h/?authMechanism=CUSTOM-X", "CUSTOM-X", "admin", "u")] // registered by the application
    [InlineData("mongodb://alice@h", null, "admin", "alice")] // no password yet: the client constructor requires it
    [InlineData("mongodb://u@h/db?authMechanism=SCRAM-SHA-1", "SCRAM-SHA-1", "db", "u")] // likewise
    [InlineData("mongodb://u@h/?authMechanism=PLAIN", "PLAIN", "$external", "u")] // likewise
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC", "MONGODB-OIDC", "$external", null)] // the callback comes from code
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure", "MONGODB-OIDC", "$external", null)] // TOKEN_RESOURCE can come from code
    public void Valid_credentials_from_connection_strings(string uri, string? mechanism, string source, string? user)
    {
        var credential = ConnectionString.Parse(uri).Credential!;
        Assert.Equal(mechanism, credential.Mechanism);
        Assert.Equal(source, credential.EffectiveSource);
        Assert.Equal(user, credential.Username);
    }

    [Theory]
    [InlineData("mongodb://h/?authMechanism=SCRAM-SHA-256", "username")]
    [InlineData("mongodb://h/?authMechanism=SCRAM-SHA-1", "username")]
    [InlineData("mongodb://u:p@h/?authMechanism=SCRAM-SHA-1&authMechanismProperties=A:b", "authMechanismProperties")]
    [InlineData("mongodb://u:p@h/?authMechanismProperties=SERVICE_NAME:x", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=PLAIN", "username")]
    [InlineData("mongodb://u:p@h/?authMechanism=PLAIN&authMechanismProperties=A:b", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=GSSAPI", "username")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authSource=admin", "authSource")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=CANONICALIZE_HOST_NAME:other", "authMechanismProperties")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=UNKNOWN:x", "authMechanismProperties")]
    [InlineData("mongodb://u@h/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:", "authMechanismProperties")]
    [InlineData("mongodb://u:secret@h/?authMechanism=MONGODB-X509", "password")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-X509&authSource=admin", "authSource")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-X509&authMechanismProperties=A:b", "authMechanismProperties")]
    [InlineData("mongodb://u:secret@h/?authMechanism=MONGODB-AWS", "username")] // no credentials in the URI
    [InlineData("mongodb://u@h/?authMechanism=MONGODB-AWS", "username")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_CREDENTIAL_PROVIDER:x", "authMechanismProperties")] // code only
    [InlineData("mongodb://h/?authMechanism=MONGODB-AWS&authSource=admin", "authSource")]
    [InlineData("mongodb://u:secret@h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test", "password")]
    [InlineData("mongodb://u@h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test", "username")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:invalid", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test,TOKEN_RESOURCE:x", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test,UnsupportedProperty:x", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:test,ALLOWED_HOSTS:x", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=OIDC_CALLBACK:x", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authSource=admin&authMechanismProperties=ENVIRONMENT:test", "authSource")]
    [InlineData("mongodb://u:p@h/?authMechanism=MONGODB-CR", "authMechanism")]
    [InlineData("mongodb://u:p@h/?authMechanism=", "authMechanism")]
    [InlineData("mongodb://h/?authMechanismProperties=SERVICE_NAME:x", "authMechanismProperties")] // no credential
    [InlineData("mongodb://h/?gssapiServiceName=x", "gssapiServiceName")]
    public void Invalid_credentials_are_errors_without_secrets(string uri, string option)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => ConnectionString.Parse(uri));
        Assert.Equal(option, error.OptionName);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mongodb://u@h", "password")] // negotiated SCRAM needs a password
    [InlineData("mongodb://u@h/?authMechanism=SCRAM-SHA-1", "password")]
    [InlineData("mongodb://u@h/?authMechanism=SCRAM-SHA-256", "password")]
    [InlineData("mongodb://u@h/?authMechanism=PLAIN", "password")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC", "authMechanismProperties")] // neither environment nor callback
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure", "authMechanismProperties")] // needs TOKEN_RESOURCE
    [InlineData("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:gcp", "authMechanismProperties")]
    [InlineData("mongodb://h/?authMechanism=MONGODB-X509", "tls")] // the certificate needs TLS
    [InlineData("mongodb://h/?authMechanism=MONGODB-X509&tls=true", "tlsCertificateKeyFile")]
    public void What_is_still_missing_is_refused_by_the_client_constructor_not_the_parser(string uri, string option)
    {
        Assert.NotNull(ConnectionString.Parse(uri).Credential);

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(uri));

        Assert.Equal(option, error.OptionName);
    }

    [Fact]
    public void A_user_without_a_password_parses_and_the_client_says_SCRAM_needs_a_password()
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb://alice@127.0.0.1");

        var fromString = Assert.Throws<MongoConfigurationException>(() => new MongoClient("mongodb://alice@127.0.0.1"));
        var fromSettings = Assert.Throws<MongoConfigurationException>(() => new MongoClient(settings));

        Assert.Equal("alice", settings.Credential!.Username);
        Assert.False(settings.Credential.HasPassword);
        Assert.Equal(fromString.Message, fromSettings.Message);
        Assert.Equal("password", fromString.OptionName);
        Assert.StartsWith("A password is needed for user 'alice': without authMechanism the driver authenticates with SCRAM", fromString.Message, StringComparison.Ordinal);
        Assert.Contains("mongodb://<user>:<password>@<host>", fromString.Message, StringComparison.Ordinal);
        Assert.Contains("set authMechanism to a mechanism that takes no password", fromString.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_added_from_code_completes_a_parsed_user()
    {
        var parsed = MongoClientSettings.FromConnectionString("mongodb://alice@127.0.0.1/app");

        using var client = new MongoClient(parsed with { Credential = MongoCredential.CreateCredential(parsed.Credential!.Source, "alice", "pw") });

        Assert.Equal("app", client.Settings.Credential!.EffectiveSource);
    }

    [Fact]
    public void Comma_in_a_property_value_warns()
    {
        var parsed = ConnectionString.Parse("mongodb://h/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:azure,TOKEN_RESOURCE:a,b");
        Assert.Equal("a", parsed.Credential!.GetMechanismProperty<string>("TOKEN_RESOURCE"));
        Assert.Contains(parsed.Warnings, w => w.OptionName == "authMechanismProperties");
    }

    [Fact]
    public void GssapiServiceName_is_a_deprecated_alias()
    {
        var parsed = ConnectionString.Parse("mongodb://u@h/?authMechanism=GSSAPI&gssapiServiceName=other");
        Assert.Equal("other", parsed.Credential!.GetMechanismProperty<string>("service_name"));
        Assert.Contains(parsed.Warnings, w => w.OptionName == "gssapiServiceName");
        var both = ConnectionString.Parse("mongodb://u@h/?authMechanism=GSSAPI&gssapiServiceName=old&authMechanismProperties=SERVICE_NAME:new");
        Assert.Equal("new", both.Credential!.GetMechanismProperty<string>("SERVICE_NAME"));
    }

    [Fact]
    public void Property_names_are_case_insensitive_and_typed_reads_convert()
    {
        var credential = MongoCredential.CreateGssapiCredential("u").WithMechanismProperty("canonicalize_host_name", "true");
        Assert.True(credential.GetMechanismProperty<bool>("CANONICALIZE_HOST_NAME"));
        Assert.Equal("mongodb", credential.GetMechanismProperty<string>("service_name")); // the default
        Assert.Null(credential.GetMechanismProperty<string>("SERVICE_REALM")); // no default
        Assert.Throws<MongoConfigurationException>(() => credential.GetMechanismProperty<int>("CANONICALIZE_HOST_NAME"));
    }

    [Fact]
    public void Factories_build_valid_credentials()
    {
        Assert.Equal("admin", MongoCredential.CreateCredential(null, "u", "p").EffectiveSource);
        Assert.Equal("db", MongoCredential.CreateScramSha1Credential("db", "u", "p").EffectiveSource);
        Assert.Equal("SCRAM-SHA-256", MongoCredential.CreateScramSha256Credential(null, "u", "p").Mechanism);
        Assert.Equal("$external", MongoCredential.CreatePlainCredential(null, "u", "p").EffectiveSource);
        Assert.False(MongoCredential.CreateGssapiCredential("u").HasPassword);
        Assert.True(MongoCredential.CreateGssapiCredential("u", "p").HasPassword);
        Assert.Null(MongoCredential.CreateMongoX509Credential().Username);
        Assert.Equal("MONGODB-AWS", MongoCredential.CreateMongoAwsCredential().Mechanism);
        var callback = new object();
        var human = MongoAuth.Authentication.Oidc.OidcCallback.Create((_, _) => Task.FromResult(new MongoAuth.Authentication.Oidc.OidcToken("t")));
        var oidc = MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_HUMAN_CALLBACK", human)
            .WithMechanismProperty("ALLOWED_HOSTS", new[] { "localhost" });
        Assert.Same(human, oidc.MechanismProperties["oidc_human_callback"]);
        oidc.ValidateComplete();
        var provider = new MongoAuth.Tests.Aws.CountingProvider(new MongoAuth.Authentication.Aws.AwsCredentials("AKID", "key"));
        var aws = MongoCredential.CreateMongoAwsCredential().WithMechanismProperty("AWS_CREDENTIAL_PROVIDER", provider);
        aws.ValidateComplete();
        Assert.Equal("$external", aws.EffectiveSource);
    }

    [Theory]
    [InlineData("scram-sha-1", "db", "u", "p", "db")]
    [InlineData("PLAIN", null, "u", "p", "$external")]
    [InlineData("MONGODB-X509", "$external", null, null, "$external")]
    [InlineData("MONGODB-AWS", null, "AKID", "secret", "$external")] // explicit keys from code (never from a URI)
    [InlineData("MY-MECHANISM", null, "u", null, "admin")] // application mechanism: generic rules only
    public void FromComponents_accepts_valid_combinations(string? mechanism, string? source, string? user, string? password, string effectiveSource) =>
        Assert.Equal(effectiveSource, MongoCredential.FromComponents(mechanism, source, user, password).EffectiveSource);

    [Theory]
    [InlineData("GSSAPI", "admin", "u", null, "authSource")]
    [InlineData("MONGODB-X509", null, "u", "secret", "password")]
    [InlineData("MONGODB-AWS", null, null, "secret", "username")] // explicit keys need the access key id too
    [InlineData("MONGODB-AWS", null, "AKID", null, "password")] // … and the secret
    [InlineData("MONGODB-OIDC", null, null, "secret", "password")]
    [InlineData("MY-MECHANISM", "", "u", null, "authSource")]
    [InlineData("", null, "u", "p", "authMechanism")]
    public void FromComponents_rejects_what_the_mechanism_forbids(string? mechanism, string? source, string? user, string? password, string option)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => MongoCredential.FromComponents(mechanism, source, user, password));
        Assert.Equal(option, error.OptionName);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromComponents_leaves_a_missing_password_to_the_client_constructor()
    {
        var credential = MongoCredential.FromComponents("SCRAM-SHA-256", null, "u", null);

        var error = Assert.Throws<MongoConfigurationException>(() => new MongoClient(new MongoClientSettings { Credential = credential }));

        Assert.Equal("password", error.OptionName);
        Assert.StartsWith("SCRAM-SHA-256 needs a password", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => MongoCredential.CreateScramSha256Credential(null, "u", null!));
    }

    [Fact]
    public void Factories_reject_what_the_mechanism_forbids()
    {
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateCredential(null, "", "p"));
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateScramSha256Credential("", "u", "p"));
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateGssapiCredential(""));
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateCredential(null, "u", "p").WithMechanismProperty("SERVICE_NAME", "x"));
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateOidcCredential().WithMechanismProperty("OIDC_CALLBACK", new object()).WithMechanismProperty("OIDC_HUMAN_CALLBACK", new object()));
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateOidcCredential().WithMechanismProperty("ENVIRONMENT", "test").WithMechanismProperty("OIDC_CALLBACK", new object()));
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateOidcCredential().WithMechanismProperty("ALLOWED_HOSTS", new[] { 1 }));
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateOidcCredential().WithMechanismProperty("ENVIRONMENT", "azure").WithMechanismProperty("ALLOWED_HOSTS", new[] { "x" }));
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateOidcCredential().ValidateComplete()); // incomplete
        Assert.Throws<MongoConfigurationException>(() => MongoCredential.CreateGssapiCredential("u").WithMechanismProperty("CANONICALIZE_HOST_NAME", "sideways"));
        var settings = new MongoClientSettings { Credential = MongoCredential.CreateOidcCredential().WithMechanismProperty("ENVIRONMENT", "gcp") };
        Assert.Throws<MongoConfigurationException>(() => settings.Validate());
    }

    [Fact]
    public void ToString_never_shows_the_password_or_property_values()
    {
        var credential = MongoCredential.CreateGssapiCredential("u", "hunter2").WithMechanismProperty("SERVICE_REALM", "REALMVALUE");
        var text = credential.ToString();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("REALMVALUE", text, StringComparison.Ordinal);
        Assert.Contains("<redacted>", text, StringComparison.Ordinal);
        Assert.Contains("SERVICE_REALM", text, StringComparison.Ordinal);
    }
}
