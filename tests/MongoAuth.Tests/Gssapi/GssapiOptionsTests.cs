using System.Collections.Immutable;
using MongoAuth.Authentication.Gssapi;

namespace MongoAuth.Tests.Gssapi;

public sealed class GssapiOptionsTests
{
    private static GssapiOptions Parse(params (string Name, object Value)[] properties) =>
        GssapiOptions.FromProperties(ImmutableDictionary.CreateRange(
            StringComparer.OrdinalIgnoreCase, properties.Select(p => KeyValuePair.Create(p.Name, p.Value))));

    [Fact]
    public void Defaults_are_mongodb_service_and_no_canonicalization()
    {
        var options = Parse();
        Assert.Equal(new GssapiOptions("mongodb", null, null, CanonicalizeHostName.None), options);
    }

    [Fact]
    public void Property_names_are_case_insensitive()
    {
        var options = Parse(("service_name", "svc"), ("Service_Host", "h.example"), ("service_REALM", "R.EXAMPLE"),
            ("canonicalize_host_name", "forward"));
        Assert.Equal(new GssapiOptions("svc", "h.example", "R.EXAMPLE", CanonicalizeHostName.Forward), options);
    }

    [Theory]
    [InlineData("none", nameof(CanonicalizeHostName.None))]
    [InlineData("false", nameof(CanonicalizeHostName.None))]
    [InlineData("FALSE", nameof(CanonicalizeHostName.None))]
    [InlineData("forward", nameof(CanonicalizeHostName.Forward))]
    [InlineData("forwardAndReverse", nameof(CanonicalizeHostName.ForwardAndReverse))]
    [InlineData("true", nameof(CanonicalizeHostName.ForwardAndReverse))]
    public void Canonicalize_values_map_to_modes(string value, string expected) =>
        Assert.Equal(expected, Parse(("CANONICALIZE_HOST_NAME", value)).Canonicalize.ToString());

    [Fact]
    public void Boolean_canonicalize_given_from_code_is_accepted() =>
        Assert.Equal(CanonicalizeHostName.ForwardAndReverse, Parse(("CANONICALIZE_HOST_NAME", true)).Canonicalize);

    [Theory]
    [InlineData("reverse")]
    [InlineData("yes")]
    [InlineData("forward ")]
    public void Invalid_canonicalize_value_is_a_configuration_error(string value)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => Parse(("CANONICALIZE_HOST_NAME", value)));
        Assert.Contains("CANONICALIZE_HOST_NAME", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_service_name_is_a_configuration_error() =>
        Assert.Throws<MongoConfigurationException>(() => Parse(("SERVICE_NAME", "")));

    [Fact]
    public void Invalid_canonicalize_value_fails_when_the_mechanism_is_built() =>
        Assert.Throws<MongoConfigurationException>(() =>
            new GssapiMechanism(new MongoCredential("GSSAPI", "$external", "u@R", null,
                ImmutableDictionary<string, object>.Empty.Add("CANONICALIZE_HOST_NAME", "sideways"))));

    [Fact]
    public void Missing_user_name_is_a_configuration_error()
    {
        var error = Assert.Throws<MongoConfigurationException>(() =>
            new GssapiMechanism(new MongoCredential("GSSAPI", "$external", null, null, null)));
        Assert.Equal("username", error.OptionName);
    }

    [Fact]
    public void Source_defaults_to_external()
    {
        var mechanism = new GssapiMechanism(new MongoCredential("GSSAPI", null, "u@R", null, null));
        Assert.Equal("$external", mechanism.Source);
        Assert.Equal("GSSAPI", mechanism.Name);
    }
}
