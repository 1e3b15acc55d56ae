using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>§8.1: scheme, userinfo, hosts, ports, database and option syntax.</summary>
public sealed class GrammarTests
{
    [Theory]
    [InlineData("", "scheme")] // empty string
    [InlineData("mongo://localhost", "scheme")] // wrong scheme
    [InlineData("MONGODB://localhost", "scheme")] // scheme is lowercase
    [InlineData("http://localhost", "scheme")]
    [InlineData("mongodb:/localhost", "scheme")]
    [InlineData("mongodb://", "hosts")] // no host
    [InlineData("mongodb:///db", "hosts")]
    [InlineData("mongodb://a,,b", "hosts")] // empty host entry
    [InlineData("mongodb://a,", "hosts")]
    [InlineData("mongodb://localhost:0", "port")] // port below range
    [InlineData("mongodb://localhost:-1", "port")]
    [InlineData("mongodb://localhost:65536", "port")] // above range
    [InlineData("mongodb://localhost:foo", "port")]
    [InlineData("mongodb://localhost:", "port")] // empty port
    [InlineData("mongodb://localhost:27017:1", "hosts")] // two colons
    [InlineData("mongodb://::1", "hosts")] // bare IPv6
    [InlineData("mongodb://[::1", "hosts")] // unclosed bracket
    [InlineData("mongodb://[not-ip]:27017", "hosts")]
    [InlineData("mongodb://[127.0.0.1]", "hosts")] // brackets hold IPv6 only
    [InlineData("mongodb://[::1]x", "hosts")]
    [InlineData("mongodb://[::1]:0", "port")]
    [InlineData("mongodb://%2Ftmp%2Fm.sock:27017", "hosts")] // socket takes no port
    [InlineData("mongodb://host%2Fpath", "hosts")] // decoded slash without .sock
    [InlineData("mongodb://host%", "hosts")] // bad escape in host
    [InlineData("mongodb://ho st", "hosts")] // space in host
    [InlineData("mongodb://@localhost", "user name")] // empty user
    [InlineData("mongodb://:@localhost", "user name")]
    [InlineData("mongodb://:pw@localhost", "user name")]
    [InlineData("mongodb://us@er:pw@localhost", "userinfo")] // unescaped @
    [InlineData("mongodb://user:pa:ss@localhost", "password")] // second colon
    [InlineData("mongodb://user:p/w@localhost", "userinfo")] // slash in password
    [InlineData("mongodb://user:p?w@localhost", "userinfo")] // question mark in password
    [InlineData("mongodb://user%20%@localhost", "user name")] // % without hex
    [InlineData("mongodb://user%w@localhost", "user name")]
    [InlineData("mongodb://user:pw%zz@localhost", "password")]
    [InlineData("mongodb://user:pw%E2%28%A1@localhost", "password")] // invalid UTF-8
    [InlineData("mongodb://localhost/a b", "database name")] // space
    [InlineData("mongodb://localhost/a%20b", "database name")]
    [InlineData("mongodb://localhost/a%2Fb", "database name")] // slash after decoding
    [InlineData("mongodb://localhost/a\\b", "database name")]
    [InlineData("mongodb://localhost/a%22b", "database name")] // quote
    [InlineData("mongodb://localhost/a$b", "database name")]
    [InlineData("mongodb://localhost/db%", "database name")]
    [InlineData("mongodb://localhost/?w", "w")] // key without =
    [InlineData("mongodb://localhost/?tls=true&journal", "journal")]
    [InlineData("mongodb://localhost/?=true", "(empty)")]
    [InlineData("mongodb://localhost/?appname=%zz", "appname")]
    [InlineData("mongodb://localhost/?APPNAME=%zz", "appname")] // canonical name
    [InlineData("mongodb://localhost/?unknownKey=%zz", "unknownKey")]
    [InlineData("mongodb+srv://a.example.com:27017", "hosts")] // srv with port
    [InlineData("mongodb+srv://a.example.com,b.example.com", "hosts")] // srv with two hosts
    [InlineData("mongodb+srv://[::1]", "hosts")]
    [InlineData("mongodb+srv://", "hosts")]
    public void Malformed_strings_are_configuration_errors_naming_the_part(string uri, string option)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => ConnectionString.Parse(uri));
        Assert.Equal(option, error.OptionName);
        Assert.False(ConnectionString.TryParse(uri, out var result, out var tryError));
        Assert.Null(result);
        Assert.Equal(error.Message, tryError!.Message);
    }

    [Theory]
    [InlineData("mongodb://localhost", "localhost", 27017, MongoHostKind.HostName)]
    [InlineData("mongodb://LocalHost:1", "LocalHost", 1, MongoHostKind.HostName)]
    [InlineData("mongodb://example.com:65535", "example.com", 65535, MongoHostKind.HostName)]
    [InlineData("mongodb://127.0.0.1:27018", "127.0.0.1", 27018, MongoHostKind.IPv4)]
    [InlineData("mongodb://0.0.0.0", "0.0.0.0", 27017, MongoHostKind.IPv4)]
    [InlineData("mongodb://256.0.0.1", "256.0.0.1", 27017, MongoHostKind.HostName)] // not a valid IPv4
    [InlineData("mongodb://1.2.3", "1.2.3", 27017, MongoHostKind.HostName)] // three parts is a name
    [InlineData("mongodb://[::1]", "::1", 27017, MongoHostKind.IPv6)]
    [InlineData("mongodb://[::1]:27019", "::1", 27019, MongoHostKind.IPv6)]
    [InlineData("mongodb://[fe80::1%25eth0]", "fe80::1%25eth0", 27017, MongoHostKind.IPv6)] // scope id left as written
    [InlineData("mongodb://%2Ftmp%2Fmongodb-27017.sock", "/tmp/mongodb-27017.sock", 27017, MongoHostKind.UnixSocket)]
    [InlineData("mongodb://rel%2Fm.sock", "rel/m.sock", 27017, MongoHostKind.UnixSocket)] // relative path
    [InlineData("mongodb://bücher.example", "bücher.example", 27017, MongoHostKind.HostName)] // UTF-8 name
    [InlineData("mongodb://localhost?tls=true", "localhost", 27017, MongoHostKind.HostName)] // no slash before ?
    [InlineData("mongodb://user:pw@localhost:5", "localhost", 5, MongoHostKind.HostName)]
    public void Valid_single_hosts_are_typed(string uri, string host, int port, MongoHostKind kind)
    {
        var parsed = ConnectionString.Parse(uri);
        var address = Assert.Single(parsed.Hosts);
        Assert.Equal(new MongoServerAddress(host, port, kind), address);
        Assert.Equal(parsed.Hosts, parsed.Settings.Servers);
    }

    [Fact]
    public void Several_hosts_keep_their_order()
    {
        var parsed = ConnectionString.Parse("mongodb://a:1,[::1]:2,127.0.0.1,%2Ftmp%2Fx.sock/db");
        Assert.Equal(["a:1", "[::1]:2", "127.0.0.1:27017", "/tmp/x.sock"], parsed.Hosts.Select(h => h.ToString()));
        Assert.Equal("db", parsed.DatabaseName);
    }

    [Theory]
    [InlineData("mongodb://alice:secret@h", "alice", true)]
    [InlineData("mongodb://alice:@h", "alice", true)] // empty password is given
    [InlineData("mongodb://alice@h/?authMechanism=GSSAPI", "alice", false)] // GSSAPI needs no password
    [InlineData("mongodb://al%40ice:p%3Aw@h", "al@ice", true)]
    [InlineData("mongodb://user%40REALM@h/?authMechanism=GSSAPI", "user@REALM", false)]
    [InlineData("mongodb://!$&'()*+,;=:!$&'()*+,;=@h", "!$&'()*+,;=", true)] // sub-delims allowed unescaped
    [InlineData("mongodb://%E2%85%A8:IV@h", "\u2168", true)]
    [InlineData("mongodb://IX:I%C2%ADX@h", "IX", true)]
    public void Userinfo_is_split_on_the_first_colon_and_decoded(string uri, string user, bool hasPassword)
    {
        var parsed = ConnectionString.Parse(uri);
        Assert.Equal(user, parsed.Username);
        Assert.Equal(hasPassword, parsed.HasPassword);
        Assert.NotNull(parsed.Credential);
    }

    [Fact]
    public void Password_is_everything_after_the_first_colon_decoded()
    {
        Assert.Equal("p@ss:w/rd", ConnectionString.Parse("mongodb://u:p%40ss%3Aw%2Frd@h").Password);
        Assert.Equal("", ConnectionString.Parse("mongodb://u:@h").Password);
    }

    [Theory]
    [InlineData("mongodb://h/admin", "admin")]
    [InlineData("mongodb://h/admin%3F", "admin?")] // decoded after splitting at ?
    [InlineData("mongodb://h/my.db", "my.db")] // dots allowed
    [InlineData("mongodb://h/some,db", "some,db")] // commas allowed
    [InlineData("mongodb://h/caf%C3%A9", "café")]
    [InlineData("mongodb://h/db?tls=true", "db")]
    public void Database_names_are_decoded(string uri, string database)
    {
        Assert.Equal(database, ConnectionString.Parse(uri).DatabaseName);
        Assert.Equal(database, ConnectionString.Parse(uri).Settings.DefaultDatabase);
    }

    [Theory]
    [InlineData("mongodb://h")]
    [InlineData("mongodb://h/")]
    [InlineData("mongodb://h/?")]
    [InlineData("mongodb://h/?tls=true")]
    public void No_database_gives_null(string uri) => Assert.Null(ConnectionString.Parse(uri).DatabaseName);

    [Theory]
    [InlineData("mongodb://h/?TLS=true")]
    [InlineData("mongodb://h/?tls=true")]
    [InlineData("mongodb://h/?Tls=true&")]
    [InlineData("mongodb://h/?&tls=true")]
    [InlineData("mongodb://h/?SSL=true")]
    public void Keys_are_case_insensitive_and_empty_pairs_skipped(string uri)
    {
        var parsed = ConnectionString.Parse(uri);
        Assert.True(parsed.Settings.UseTls);
        Assert.Empty(parsed.Warnings);
    }

    [Fact]
    public void Values_are_percent_decoded_and_plus_is_kept()
    {
        var parsed = ConnectionString.Parse("mongodb://h/?appname=my%20app+x&replicaSet=rs%2F0");
        Assert.Equal("my app+x", parsed.Settings.ApplicationName);
        Assert.Equal("rs/0", parsed.Settings.ReplicaSetName);
    }

    [Theory]
    [InlineData("mongodb://h/foo")] // database alone
    [InlineData("mongodb://h/?authSource=foo")] // authSource alone
    [InlineData("mongodb://h/foo?authSource=bar")]
    public void A_database_or_authSource_alone_configures_no_credential(string uri) => Assert.Null(ConnectionString.Parse(uri).Credential);

    [Fact]
    public void Srv_strings_set_the_srv_host_and_tls_without_resolving()
    {
        var settings = MongoClientSettings.FromConnectionString("mongodb+srv://cluster0.example.com/db");
        Assert.True(settings.UsesSrv);
        Assert.Equal("cluster0.example.com", settings.SrvHost);
        Assert.True(settings.UseTls);
        Assert.Empty(settings.Servers);
    }

    [Theory]
    [InlineData("mongodb+srv://localhost")] // one label is valid
    [InlineData("mongodb+srv://a.b")]
    public void Short_srv_hosts_parse(string uri) => Assert.True(ConnectionString.Parse(uri).IsSrv);

    [Theory]
    [InlineData("mongodb+srv://a.example.com/?tls=false", false)]
    [InlineData("mongodb+srv://a.example.com/?ssl=false", false)]
    [InlineData("mongodb+srv://a.example.com/?tls=true", true)]
    public void Only_the_uri_turns_srv_tls_off(string uri, bool tls) => Assert.Equal(tls, ConnectionString.Parse(uri).Settings.UseTls);
}
