using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>
/// Bad input is refused with a <see cref="MongoConfigurationException"/> naming the option, whichever door it comes
/// through: <see cref="ConnectionString.Parse"/>, <see cref="MongoClientSettings.FromConnectionString"/>,
/// <see cref="MongoClientSettings.Validate()"/> or the <see cref="MongoClient"/> constructor (which loads TLS files and
/// builds the handshake metadata, and never connects).
/// </summary>
public sealed class BadInputTests
{
    /// <summary>Cases of the fuzz properties (here and in <see cref="SecretLeakTests"/>); set MONGOAUTH_FUZZ_CASES
    /// (e.g. 200000) for a long local hunt.</summary>
    internal static int FuzzCases =>
        int.TryParse(Environment.GetEnvironmentVariable("MONGOAUTH_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2000;

    [Fact]
    public void Mutated_strings_fail_only_with_a_configuration_error_naming_the_option()
    {
        var outcomes = new int[2];
        Prop.ForAll(Arb.From(ConnectionStringMutations.Mutated), uri => outcomes[ParseBuildAndDispose(uri) ? 1 : 0]++)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(FuzzCases).WithQuietOnSuccess(true));

        // Both outcomes must be common, or the mutations test nothing (all refused) or too little (all accepted).
        Assert.True(outcomes[0] > FuzzCases / 10 && outcomes[1] > FuzzCases / 10, $"refused {outcomes[0]}, accepted {outcomes[1]}");
    }

    [Theory]
    [InlineData("mongodb://h/?appname=a<D800>b", "appname")]
    [InlineData("mongodb://h/?appname=<DC00>", "appname")]
    [InlineData("mongodb://h/?replicaSet=rs<D83D>", "replicaSet")]
    [InlineData("mongodb://h/?proxyHost=p&proxyUsername=u&proxyPassword=<D800>", "proxyPassword")]
    [InlineData("mongodb://h/?tls=true&tlsCAFile=ca<DFFF>.pem", "tlsCAFile")]
    [InlineData("mongodb://h/?authMechanism=GSSAPI&authMechanismProperties=SERVICE_NAME:<D800>", "authMechanismProperties")]
    [InlineData("mongodb://u<D800>@h/?authMechanism=MONGODB-X509", "user name")]
    [InlineData("mongodb://u:p<D800>@h", "password")]
    [InlineData("mongodb://h<D800>", "hosts")]
    [InlineData("mongodb://h/d<D800>b", "database name")]
    [InlineData("mongodb://h/?app<D800>name=x", "option name")]
    [InlineData("mongodb://h/?tls=true&tlsCAFile=a%00b", "tlsCAFile")]
    [InlineData("mongodb://h/?tls=true&tlsCAFile=a\0b", "tlsCAFile")]
    [InlineData("mongodb://h/?tls=true&tlsCertificateKeyFile=%00", "tlsCertificateKeyFile")]
    public void Text_that_cannot_be_used_is_refused_when_parsed(string written, string option)
    {
        var uri = Unescape(written);
        var error = Assert.Throws<MongoConfigurationException>(() => ConnectionString.Parse(uri));
        Assert.Equal(option, error.OptionName);
        Assert.Throws<MongoConfigurationException>(() => new MongoClient(uri));
    }

    [Fact]
    public void A_lone_surrogate_is_refused_with_its_position_and_why()
    {
        var error = Assert.Throws<MongoConfigurationException>(() => ConnectionString.Parse(Unescape("mongodb://h/?appname=ab<D800>")));
        Assert.Contains("offset 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Test data is written with &lt;D800&gt; for a lone surrogate: xUnit would turn a real one into U+FFFD
    /// when it serializes the case.</summary>
    private static string Unescape(string text) => Regex.Replace(text, "<([0-9A-F]{4})>", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    public static TheoryData<string, MongoClientSettings> FromCode() => new()
    {
        { "appname", new MongoClientSettings { ApplicationName = Unescape("app<D800>") } },
        { "replicaSet", new MongoClientSettings { ReplicaSetName = Unescape("<DC00>") } },
        { "hosts", new MongoClientSettings { Servers = [new MongoServerAddress(Unescape("h<D800>"))] } },
        { "proxyPassword", new MongoClientSettings { ProxyHost = "p", ProxyUsername = "u", ProxyPassword = Unescape("<D800>") } },
        { "tlsCAFile", new MongoClientSettings { UseTls = true, Tls = new MongoTlsSettings { CAFile = "a\0b" } } },
        { "tlsCertificateKeyFile", new MongoClientSettings { UseTls = true, Tls = new MongoTlsSettings { CertificateKeyFile = "\0" } } },
        { "tlsCertificateKeyFilePassword", new MongoClientSettings { Tls = new MongoTlsSettings { CertificateKeyFilePassword = Unescape("<D800>") } } },
    };

    [Theory]
    [MemberData(nameof(FromCode))]
    public void Text_that_cannot_be_used_is_refused_when_set_from_code(string option, MongoClientSettings settings)
    {
        Assert.Equal(option, Assert.Throws<MongoConfigurationException>(() => settings.Validate()).OptionName);
        Assert.Equal(option, Assert.Throws<MongoConfigurationException>(() => new MongoClient(settings)).OptionName);
    }

    /// <summary>True when the string was accepted (and the client built and disposed), false when it was refused
    /// with a configuration error that names an option; anything else fails with the string, escaped.</summary>
    internal static bool ParseBuildAndDispose(string uri)
    {
        try
        {
            var parsed = ConnectionString.Parse(uri, new ListLogger());
            _ = parsed.ToString();
            var settings = MongoClientSettings.FromConnectionString(uri);
            _ = settings.ToString();
            using var client = new MongoClient(settings);
            return true;
        }
        catch (MongoConfigurationException e) when (!string.IsNullOrEmpty(e.OptionName) && e.Message.Length > 0)
        {
            return false;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"\"{ConnectionStringMutations.Escape(uri)}\" threw {e}");
        }
    }
}
