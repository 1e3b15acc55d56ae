using System.Globalization;
using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>§8.2 and §8.4: every option with a valid value lands on the settings; invalid, empty, unknown,
/// repeated and deprecated keys warn and keep the default.</summary>
public sealed class OptionTests
{
    [Theory]
    [InlineData("appname=billing", "ApplicationName", "billing")]
    [InlineData("compressors=zstd,zlib", "Compressors", "zstd,zlib")]
    [InlineData("zlibCompressionLevel=9", "ZlibCompressionLevel", "9")]
    [InlineData("zlibCompressionLevel=-1", "ZlibCompressionLevel", "-1")]
    [InlineData("connectTimeoutMS=2500", "ConnectTimeout", "00:00:02.5000000")]
    [InlineData("connectTimeoutMS=0", "ConnectTimeout", "-00:00:00.0010000")] // 0 = infinite
    [InlineData("socketTimeoutMS=100", "SocketTimeout", "00:00:00.1000000")]
    [InlineData("socketTimeoutMS=0", "SocketTimeout", "")]
    [InlineData("serverSelectionTimeoutMS=1000", "ServerSelectionTimeout", "00:00:01")]
    [InlineData("heartbeatFrequencyMS=500", "HeartbeatFrequency", "00:00:00.5000000")]
    [InlineData("localThresholdMS=0", "LocalThreshold", "00:00:00")]
    [InlineData("timeoutMS=0", "Timeout", "00:00:00")]
    [InlineData("timeoutMS=1500", "Timeout", "00:00:01.5000000")]
    [InlineData("directConnection=true", "DirectConnection", "True")]
    [InlineData("directConnection=false", "DirectConnection", "False")]
    [InlineData("loadBalanced=true", "LoadBalanced", "True")]
    [InlineData("replicaSet=rs0", "ReplicaSetName", "rs0")]
    [InlineData("journal=true", "Journal", "True")]
    [InlineData("w=majority", "W", "majority")]
    [InlineData("w=2", "W", "2")]
    [InlineData("w=0", "W", "0")]
    [InlineData("wTimeoutMS=50", "WTimeout", "00:00:00.0500000")]
    [InlineData("readConcernLevel=anything", "ReadConcernLevel", "anything")]
    [InlineData("readPreference=secondaryPreferred", "ReadPreference", "secondaryPreferred")]
    [InlineData("readPreference=nearest", "ReadPreference", "nearest")]
    [InlineData("maxStalenessSeconds=90", "ReadPreference.MaxStaleness", "00:01:30")]
    [InlineData("maxStalenessSeconds=-1", "ReadPreference.MaxStaleness", "")]
    [InlineData("retryReads=false", "RetryReads", "False")]
    [InlineData("retryWrites=false", "RetryWrites", "False")]
    [InlineData("serverMonitoringMode=poll", "ServerMonitoringMode", "poll")]
    [InlineData("serverMonitoringMode=stream", "ServerMonitoringMode", "stream")]
    [InlineData("serverSelectionTryOnce=false", "ServerSelectionTryOnce", "False")]
    [InlineData("maxAdaptiveRetries=0", "MaxAdaptiveRetries", "0")]
    [InlineData("enableOverloadRetargeting=true", "EnableOverloadRetargeting", "True")]
    [InlineData("maxPoolSize=0", "MaxPoolSize", "0")]
    [InlineData("maxPoolSize=5", "MaxPoolSize", "5")]
    [InlineData("minPoolSize=3", "MinPoolSize", "3")]
    [InlineData("maxIdleTimeMS=1000", "MaxIdleTime", "00:00:01")]
    [InlineData("maxIdleTimeMS=0", "MaxIdleTime", "")]
    [InlineData("maxConnecting=1", "MaxConnecting", "1")]
    [InlineData("waitQueueTimeoutMS=10", "WaitQueueTimeout", "00:00:00.0100000")]
    [InlineData("proxyHost=proxy.local", "ProxyHost", "proxy.local")]
    [InlineData("proxyHost=p&proxyPort=1", "ProxyPort", "1")]
    [InlineData("proxyHost=p&proxyUsername=u&proxyPassword=pw", "ProxyUsername", "u")]
    [InlineData("tls=true", "UseTls", "True")]
    [InlineData("ssl=true", "UseTls", "True")]
    [InlineData("tls=true&ssl=true", "UseTls", "True")] // same value, no conflict
    [InlineData("tlsCAFile=%2Fca.pem", "Tls.CAFile", "/ca.pem")]
    [InlineData("tlsCertificateKeyFile=c.pem", "Tls.CertificateKeyFile", "c.pem")]
    [InlineData("tlsAllowInvalidCertificates=true", "Tls.AllowInvalidCertificates", "True")]
    [InlineData("tlsAllowInvalidHostnames=true", "Tls.AllowInvalidHostnames", "True")]
    [InlineData("tlsInsecure=true", "Tls.Insecure", "True")]
    [InlineData("tlsDisableOCSPEndpointCheck=true", "Tls.DisableOcspEndpointCheck", "True")]
    [InlineData("tlsDisableCertificateRevocationCheck=true", "Tls.DisableCertificateRevocationCheck", "True")]
    [InlineData("readPreferenceTags=dc:ny,rack:1", "ReadPreference.TagSets", "dc=ny;rack=1")]
    [InlineData("readPreferenceTags=dc:ny&readPreferenceTags=", "ReadPreference.TagSets", "dc=ny|")] // lists accumulate, empty set allowed
    public void Valid_values_land_on_the_settings_without_warnings(string query, string property, string expected)
    {
        var parsed = ConnectionString.Parse("mongodb://h/?" + query);
        Assert.Empty(parsed.Warnings);
        Assert.Equal(expected, Read(parsed.Settings, property));
    }

    [Theory]
    [InlineData("srvMaxHosts=2", "SrvMaxHosts", "2")]
    [InlineData("srvServiceName=customname", "SrvServiceName", "customname")]
    [InlineData("srvMaxHosts=0&replicaSet=rs", "ReplicaSetName", "rs")]
    public void Srv_options_are_valid_on_srv_strings(string query, string property, string expected)
    {
        var parsed = ConnectionString.Parse("mongodb+srv://c.example.com/?" + query);
        Assert.Empty(parsed.Warnings);
        Assert.Equal(expected, Read(parsed.Settings, property));
    }

    [Theory]
    [InlineData("appname=" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ApplicationName", "")] // 129 bytes
    [InlineData("compressors=lz4", "Compressors", "")]
    [InlineData("zlibCompressionLevel=10", "ZlibCompressionLevel", "-1")]
    [InlineData("zlibCompressionLevel=-2", "ZlibCompressionLevel", "-1")]
    [InlineData("zlibCompressionLevel=x", "ZlibCompressionLevel", "-1")]
    [InlineData("connectTimeoutMS=-2", "ConnectTimeout", "00:00:10")]
    [InlineData("connectTimeoutMS=1.5", "ConnectTimeout", "00:00:10")]
    [InlineData("connectTimeoutMS=99999999999", "ConnectTimeout", "00:00:10")] // overflow
    [InlineData("socketTimeoutMS=-1", "SocketTimeout", "")]
    [InlineData("serverSelectionTimeoutMS=0", "ServerSelectionTimeout", "00:00:30")]
    [InlineData("heartbeatFrequencyMS=499", "HeartbeatFrequency", "00:00:10")]
    [InlineData("localThresholdMS=-1", "LocalThreshold", "00:00:00.0150000")]
    [InlineData("timeoutMS=-1", "Timeout", "")]
    [InlineData("directConnection=maybe", "DirectConnection", "")]
    [InlineData("loadBalanced=1", "LoadBalanced", "")] // no legacy forms for loadBalanced
    [InlineData("loadBalanced=yes", "LoadBalanced", "")]
    [InlineData("journal=", "Journal", "")] // empty boolean
    [InlineData("journal=ifPossible", "Journal", "")]
    [InlineData("w=-1", "W", "")]
    [InlineData("wTimeoutMS=-5", "WTimeout", "")]
    [InlineData("readPreference=fastest", "ReadPreference", "primary")]
    [InlineData("maxStalenessSeconds=89", "ReadPreference.MaxStaleness", "")]
    [InlineData("maxStalenessSeconds=-2", "ReadPreference.MaxStaleness", "")]
    [InlineData("retryReads=nope", "RetryReads", "True")]
    [InlineData("retryWrites=TRUE1", "RetryWrites", "True")]
    [InlineData("serverMonitoringMode=push", "ServerMonitoringMode", "auto")]
    [InlineData("serverSelectionTryOnce=2", "ServerSelectionTryOnce", "True")]
    [InlineData("maxAdaptiveRetries=-1", "MaxAdaptiveRetries", "2")]
    [InlineData("enableOverloadRetargeting=on", "EnableOverloadRetargeting", "False")]
    [InlineData("maxPoolSize=-1", "MaxPoolSize", "100")]
    [InlineData("minPoolSize=-1", "MinPoolSize", "0")]
    [InlineData("maxIdleTimeMS=", "MaxIdleTime", "")] // empty integer
    [InlineData("maxIdleTimeMS=-1", "MaxIdleTime", "")]
    [InlineData("maxConnecting=0", "MaxConnecting", "2")]
    [InlineData("waitQueueTimeoutMS=-1", "WaitQueueTimeout", "")]
    [InlineData("proxyHost=p&proxyPort=0", "ProxyPort", "")]
    [InlineData("proxyHost=p&proxyPort=x", "ProxyPort", "")]
    [InlineData("proxyHost=p&proxyPort=65536", "ProxyPort", "")]
    [InlineData("tls=on", "UseTls", "False")]
    [InlineData("tlsAllowInvalidCertificates=sure", "Tls.AllowInvalidCertificates", "False")]
    [InlineData("tlsAllowInvalidHostnames=2", "Tls.AllowInvalidHostnames", "False")]
    [InlineData("tlsInsecure=", "Tls.Insecure", "False")]
    [InlineData("tlsDisableOCSPEndpointCheck=x", "Tls.DisableOcspEndpointCheck", "False")]
    [InlineData("tlsDisableCertificateRevocationCheck=x", "Tls.DisableCertificateRevocationCheck", "False")]
    [InlineData("replicaSet=", "ReplicaSetName", "")] // empty string
    [InlineData("tlsCAFile=", "Tls.CAFile", "")]
    [InlineData("tlsCertificateKeyFile=", "Tls.CertificateKeyFile", "")]
    [InlineData("readConcernLevel=", "ReadConcernLevel", "")]
    [InlineData("readPreferenceTags=dc", "ReadPreference.TagSets", "")] // item without colon
    [InlineData("compressors=", "Compressors", "")]
    [InlineData("proxyHost=", "ProxyHost", "")]
    [InlineData("tlsCertificateKeyFilePassword=", "Tls.CertificateKeyFilePassword", "")]
    [InlineData("tls=true&ssl=oops", "UseTls", "True")] // the invalid alias is ignored, the valid one kept
    public void Invalid_values_warn_and_keep_the_default(string query, string property, string expected)
    {
        var parsed = ConnectionString.Parse("mongodb://h/?" + query);
        var key = query[..query.IndexOf('=')];
        Assert.Contains(parsed.Warnings, w => w.OptionName.Equals(key, StringComparison.OrdinalIgnoreCase) || query.Contains(w.OptionName, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(expected, Read(parsed.Settings, property));
    }

    [Theory]
    [InlineData("srvMaxHosts=-1", "SrvMaxHosts", "0")]
    [InlineData("srvMaxHosts=x", "SrvMaxHosts", "0")]
    [InlineData("srvServiceName=bad_name", "SrvServiceName", "mongodb")]
    [InlineData("srvServiceName=", "SrvServiceName", "mongodb")]
    public void Invalid_srv_options_warn(string query, string property, string expected)
    {
        var parsed = ConnectionString.Parse("mongodb+srv://c.example.com/?" + query);
        Assert.NotEmpty(parsed.Warnings);
        Assert.Equal(expected, Read(parsed.Settings, property));
    }

    [Theory]
    [InlineData("journal=1", true)]
    [InlineData("journal=yes", true)]
    [InlineData("journal=y", true)]
    [InlineData("journal=t", true)]
    [InlineData("journal=0", false)]
    [InlineData("journal=-1", false)]
    [InlineData("journal=no", false)]
    [InlineData("journal=n", false)]
    [InlineData("journal=f", false)]
    [InlineData("journal=YES", true)]
    public void Legacy_booleans_are_accepted_with_a_deprecation_warning(string query, bool expected)
    {
        var parsed = ConnectionString.Parse("mongodb://h/?" + query);
        Assert.Equal(expected, parsed.Settings.Journal);
        Assert.Contains("deprecated", Assert.Single(parsed.Warnings).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo=bar", "foo")]
    [InlineData("fsync=ifPossible", "fsync")]
    [InlineData("uuidRepresentation=standard", "uuidRepresentation")]
    public void Unknown_keys_warn(string query, string key)
    {
        var parsed = ConnectionString.Parse("mongodb://h/?" + query);
        Assert.Equal(key, Assert.Single(parsed.Warnings).OptionName);
    }

    [Theory]
    [InlineData("appname=a&appname=b", "b")]
    [InlineData("APPNAME=a&appName=b", "b")]
    public void Repeated_keys_warn_and_the_last_wins(string query, string expected)
    {
        var parsed = ConnectionString.Parse("mongodb://h/?" + query);
        Assert.Equal(expected, parsed.Settings.ApplicationName);
        Assert.Contains("more than once", Assert.Single(parsed.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deprecated_wtimeout_is_used_alone_with_a_warning()
    {
        var parsed = ConnectionString.Parse("mongodb://h/?wtimeout=5");
        Assert.Equal(TimeSpan.FromMilliseconds(5), parsed.Settings.WTimeout);
        Assert.Contains("deprecated", Assert.Single(parsed.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deprecated_wtimeout_is_ignored_when_wTimeoutMS_is_given()
    {
        var parsed = ConnectionString.Parse("mongodb://h/?wtimeout=5&wTimeoutMS=10");
        Assert.Equal(TimeSpan.FromMilliseconds(10), parsed.Settings.WTimeout);
        Assert.Equal("wtimeout", Assert.Single(parsed.Warnings).OptionName);
    }

    [Fact]
    public void Warnings_are_logged()
    {
        var logger = new ListLogger();
        ConnectionString.Parse("mongodb://h/?foo=1&journal=yes", logger);
        Assert.Equal(2, logger.Messages.Count);
        Assert.Contains(logger.Messages, m => m.Contains("foo", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_option_in_the_table_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "connection-strings.md"));
        foreach (var option in ConnectionStringOptions.All)
        {
            Assert.Contains("`" + option.Name + "`", doc, StringComparison.Ordinal);
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MongoAuth.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MongoAuth.sln not found above the test directory.");
    }

    internal static string Read(object settings, string path)
    {
        object? value = settings;
        foreach (var name in path.Split('.'))
        {
            value = value!.GetType().GetProperty(name)!.GetValue(value);
        }

        return value switch
        {
            null => "",
            IReadOnlyList<IReadOnlyDictionary<string, string>> sets => string.Join("|", sets.Select(s => string.Join(";", s.Select(p => p.Key + "=" + p.Value)))),
            IReadOnlyList<string> list => string.Join(",", list),
            TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
    }
}
