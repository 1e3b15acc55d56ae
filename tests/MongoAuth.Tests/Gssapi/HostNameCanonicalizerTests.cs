using MongoAuth.Operations;
using System.Net;
using MongoAuth.Authentication.Gssapi;

namespace MongoAuth.Tests.Gssapi;

public sealed class HostNameCanonicalizerTests
{
    private static readonly IPAddress First = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Second = IPAddress.Parse("192.0.2.20");

    private static StubHostResolver Dns()
    {
        var dns = new StubHostResolver();
        dns.Forward["alias.example.test"] = new KerberosHostEntry("Real.Example.TEST", [First, Second]);
        dns.Forward["noaddress.example.test"] = new KerberosHostEntry("other.example.test", []);
        dns.Reverse[First] = "PTR-Name.Example.Test.";
        dns.Reverse[Second] = "second.example.test";
        return dns;
    }

    private static Task<string> Canonicalize(StubHostResolver dns, string host, CanonicalizeHostName mode) =>
        HostNameCanonicalizer.CanonicalizeAsync(host, mode, dns, OperationContext.Start(isAsync: true, CancellationToken.None));

    [Fact]
    public async Task None_keeps_the_host_and_does_no_lookup()
    {
        var dns = Dns();
        Assert.Equal("Alias.example.test", await Canonicalize(dns, "Alias.example.test", CanonicalizeHostName.None));
        Assert.Empty(dns.Lookups);
    }

    [Fact]
    public async Task Forward_uses_the_lower_cased_canonical_name() =>
        Assert.Equal("real.example.test", await Canonicalize(Dns(), "alias.example.test", CanonicalizeHostName.Forward));

    [Fact]
    public async Task Forward_and_reverse_uses_the_ptr_of_the_first_address()
    {
        var dns = Dns();
        Assert.Equal("ptr-name.example.test", await Canonicalize(dns, "alias.example.test", CanonicalizeHostName.ForwardAndReverse));
        Assert.Equal(["forward alias.example.test", "reverse 192.0.2.10"], dns.Lookups);
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("forwardAndReverse")]
    public async Task Failed_forward_lookup_falls_back_to_the_host(string mode) =>
        Assert.Equal("Unknown.example.test",
            await Canonicalize(Dns(), "Unknown.example.test", GssapiOptions.ParseCanonicalize(mode)));

    [Fact]
    public async Task Failed_reverse_lookup_falls_back_to_the_host()
    {
        var dns = Dns();
        dns.Reverse.Clear();
        Assert.Equal("alias.example.test", await Canonicalize(dns, "alias.example.test", CanonicalizeHostName.ForwardAndReverse));
    }

    [Fact]
    public async Task Reverse_answer_that_is_only_the_address_falls_back_to_the_host()
    {
        var dns = Dns();
        dns.Reverse[First] = "192.0.2.10";
        Assert.Equal("alias.example.test", await Canonicalize(dns, "alias.example.test", CanonicalizeHostName.ForwardAndReverse));
    }

    [Fact]
    public async Task No_address_falls_back_to_the_host() =>
        Assert.Equal("noaddress.example.test", await Canonicalize(Dns(), "noaddress.example.test", CanonicalizeHostName.Forward));

    [Fact]
    public async Task Cancellation_is_not_swallowed()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var dns = new CancellingResolver();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            HostNameCanonicalizer.CanonicalizeAsync("h", CanonicalizeHostName.Forward, dns, OperationContext.Start(isAsync: true, cancelled.Token)));
    }

    private sealed class CancellingResolver : IKerberosHostResolver
    {
        public ValueTask<KerberosHostEntry> ResolveAsync(string host, OperationContext context) =>
            ValueTask.FromCanceled<KerberosHostEntry>(context.CancellationToken);

        public ValueTask<string> ReverseAsync(IPAddress address, OperationContext context) =>
            ValueTask.FromCanceled<string>(context.CancellationToken);
    }

    [Theory]
    [InlineData("forward", "127.0.0.1")]
    [InlineData("forwardAndReverse", "localhost")]
    public async Task System_resolver_keeps_an_address_for_forward_and_reverses_it_for_forward_and_reverse(string mode, string expected) =>
        Assert.Equal(expected, await HostNameCanonicalizer.CanonicalizeAsync(
            "127.0.0.1", GssapiOptions.ParseCanonicalize(mode), SystemKerberosHostResolver.Instance, OperationContext.Start(isAsync: true, CancellationToken.None)));
}
