using MongoAuth.ConnectionStrings;

namespace MongoAuth.Tests.ConnectionStrings;

/// <summary>§8.5 end to end: the real DnsClient-based resolver against a DNS server on 127.0.0.1.</summary>
public sealed class LoopbackDnsTests
{
    [Fact]
    public async Task Srv_and_txt_are_resolved_through_dnsclient()
    {
        await using var dns = new LoopbackDnsServer(
            new() { ["_mongodb._tcp.cluster0.example.test"] = [("a.example.test", 27017), ("b.example.test", 27018)] },
            new() { ["cluster0.example.test"] = [["replicaSet=rs", "0"]] });
        var settings = MongoClientSettings.FromConnectionString("mongodb+srv://cluster0.example.test/") with
        {
            DnsResolver = new DnsClientResolver(dns.EndPoint),
        };

        var resolved = await SrvResolver.ResolveAsync(settings, MongoAuth.Tests.Support.Contexts.Async);

        Assert.Equal(["a.example.test:27017", "b.example.test:27018"], resolved.Servers.Select(s => s.ToString()).Order());
        Assert.Equal("rs0", resolved.ReplicaSetName);
        Assert.True(resolved.UseTls);
        // The records' TTL (60 s from this server) reaches the rescan schedule.
        Assert.All(await new DnsClientResolver(dns.EndPoint).ResolveSrvAsync("_mongodb._tcp.cluster0.example.test", CancellationToken.None),
            r => Assert.Equal(TimeSpan.FromSeconds(60), r.TimeToLive));
    }

    [Fact]
    public async Task A_name_without_srv_records_is_an_error_naming_the_query()
    {
        await using var dns = new LoopbackDnsServer([], []);
        var settings = MongoClientSettings.FromConnectionString("mongodb+srv://missing.example.test/") with
        {
            DnsResolver = new DnsClientResolver(dns.EndPoint),
        };

        var error = await Assert.ThrowsAsync<MongoConfigurationException>(() => SrvResolver.ResolveAsync(settings, MongoAuth.Tests.Support.Contexts.Async));
        Assert.Contains("_mongodb._tcp.missing.example.test", error.Message, StringComparison.Ordinal);
    }
}
