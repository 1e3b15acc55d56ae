using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>§8.3: combinations that are hard errors, and their valid neighbours.</summary>
public sealed class ConflictTests
{
    [Theory]
    [InlineData("mongodb://h/?tlsInsecure=true&tlsAllowInvalidCertificates=true", "tlsInsecure")]
    [InlineData("mongodb://h/?tlsInsecure=false&tlsAllowInvalidCertificates=false", "tlsInsecure")] // whatever the values
    [InlineData("mongodb://h/?tlsAllowInvalidCertificates=true&tlsInsecure=true", "tlsInsecure")] // whatever the order
    [InlineData("mongodb://h/?tlsInsecure=true&tlsAllowInvalidHostnames=false", "tlsInsecure")]
    [InlineData("mongodb://h/?tlsInsecure=true&tlsDisableOCSPEndpointCheck=true", "tlsInsecure")]
    [InlineData("mongodb://h/?tlsInsecure=false&tlsDisableCertificateRevocationCheck=false", "tlsInsecure")]
    [InlineData("mongodb://h/?tlsAllowInvalidCertificates=true&tlsDisableOCSPEndpointCheck=false", "tlsAllowInvalidCertificates")]
    [InlineData("mongodb://h/?tlsDisableCertificateRevocationCheck=true&tlsAllowInvalidCertificates=false", "tlsAllowInvalidCertificates")]
    [InlineData("mongodb://h/?tlsDisableOCSPEndpointCheck=true&tlsDisableCertificateRevocationCheck=true", "tlsDisableOCSPEndpointCheck")]
    [InlineData("mongodb://h/?tls=true&ssl=false", "tls")]
    [InlineData("mongodb://h/?ssl=false&tls=true", "tls")]
    [InlineData("mongodb://h/?tls=yes&ssl=false", "tls")] // legacy form still compared by value
    [InlineData("mongodb://a,b/?directConnection=true", "directConnection")]
    [InlineData("mongodb+srv://c.example.com/?directConnection=true", "directConnection")]
    [InlineData("mongodb://a,b/?loadBalanced=true", "loadBalanced")]
    [InlineData("mongodb://a/?loadBalanced=true&directConnection=true", "loadBalanced")]
    [InlineData("mongodb://a/?loadBalanced=true&replicaSet=rs", "loadBalanced")]
    [InlineData("mongodb://a/?srvServiceName=custom", "srvServiceName")]
    [InlineData("mongodb://a/?srvMaxHosts=2", "srvMaxHosts")]
    [InlineData("mongodb://a/?srvMaxHosts=0", "srvMaxHosts")] // any srvMaxHosts on non-SRV
    [InlineData("mongodb+srv://c.example.com/?srvMaxHosts=1&replicaSet=rs", "srvMaxHosts")]
    [InlineData("mongodb+srv://c.example.com/?srvMaxHosts=1&loadBalanced=true", "srvMaxHosts")]
    [InlineData("mongodb://a/?proxyPort=1080", "proxyHost")]
    [InlineData("mongodb://a/?proxyUsername=u&proxyPassword=p", "proxyHost")]
    [InlineData("mongodb://a/?proxyHost=p&proxyUsername=u", "proxyUsername")]
    [InlineData("mongodb://a/?proxyHost=p&proxyPassword=secret", "proxyUsername")]
    [InlineData("mongodb://a/?proxyHost=p&proxyHost=q", "proxyHost")]
    [InlineData("mongodb://a/?proxyHost=p&proxyPort=1&proxyPort=2", "proxyPort")]
    [InlineData("mongodb://a/?proxyHost=p&proxyUsername=u&proxyUsername=v&proxyPassword=x", "proxyUsername")]
    [InlineData("mongodb://a/?proxyHost=p&proxyUsername=u&proxyPassword=x&proxyPassword=y", "proxyPassword")]
    [InlineData("mongodb://a/?authSource=", "authSource")]
    [InlineData("mongodb://u:p@a/?authSource=", "authSource")]
    [InlineData("mongodb://a/?minPoolSize=10&maxPoolSize=5", "minPoolSize")]
    public void Conflicts_are_errors(string uri, string option)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => ConnectionString.Parse(uri));
        Assert.Equal(option, error.OptionName);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mongodb://h/?tlsInsecure=true&tls=true")]
    [InlineData("mongodb://h/?tlsAllowInvalidCertificates=true&tlsAllowInvalidHostnames=true")]
    [InlineData("mongodb://h/?tls=false&ssl=false")]
    [InlineData("mongodb://a/?directConnection=true")]
    [InlineData("mongodb://a,b/?directConnection=false")]
    [InlineData("mongodb+srv://c.example.com/?directConnection=false")]
    [InlineData("mongodb://a/?loadBalanced=true")]
    [InlineData("mongodb://a,b/?loadBalanced=false&replicaSet=rs")]
    [InlineData("mongodb+srv://c.example.com/?loadBalanced=true")]
    [InlineData("mongodb+srv://c.example.com/?srvMaxHosts=0&loadBalanced=true")]
    [InlineData("mongodb://a/?proxyHost=p&proxyPort=1080&proxyUsername=u&proxyPassword=p")]
    [InlineData("mongodb://a/?minPoolSize=10&maxPoolSize=0")] // 0 = no limit
    public void Neighbouring_combinations_are_valid(string uri) => Assert.True(ConnectionString.TryParse(uri, out _, out var error), error?.Message);

    [Fact]
    public void Code_built_settings_get_the_same_checks()
    {
        var settings = new MongoClientSettings { Servers = [new("a"), new("b")], DirectConnection = true };
        Assert.Equal("directConnection", Assert.Throws<MongoConfigurationException>(() => settings.Validate()).OptionName);
        var tls = new MongoClientSettings { Tls = new MongoTlsSettings { Insecure = true, AllowInvalidHostnames = true } };
        Assert.Equal("tlsInsecure", Assert.Throws<MongoConfigurationException>(() => tls.Validate()).OptionName);
        var proxy = new MongoClientSettings { ProxyPort = 1 };
        Assert.Equal("proxyHost", Assert.Throws<MongoConfigurationException>(() => proxy.Validate()).OptionName);
        var ok = new MongoClientSettings { MaxPoolSize = 10 };
        Assert.Same(ok, ok.Validate());
    }

    [Fact]
    public void Code_set_after_the_connection_string_wins()
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb://h/?maxPoolSize=5&appname=a") with { MaxPoolSize = 7 };
        Assert.Equal(7, settings.Validate().MaxPoolSize);
        Assert.Equal("a", settings.ApplicationName);
    }
}
