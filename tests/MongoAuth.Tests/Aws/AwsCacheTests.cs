using System.Globalization;
using MongoAuth.Authentication.Aws;
using MongoAuth.Operations;

namespace MongoAuth.Tests.Aws;

/// <summary>The cache rules of the specification, with a clock the test moves and an instance metadata fake that counts.</summary>
public sealed class AwsCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 15, 0, 0, TimeSpan.Zero);

    private static FakeHttpServer Imds(Func<int, DateTimeOffset> expiration)
    {
        var served = 0;
        return FakeHttpServer.Start(request => (request.Method, request.Path) switch
        {
            ("PUT", _) => new FakeHttpResponse(200, "t"),
            ("GET", "/latest/meta-data/iam/security-credentials/") => new FakeHttpResponse(200, "role"),
            _ => FakeHttpResponse.Json(Reply(Interlocked.Increment(ref served), expiration)),
        });
    }

    private static string Reply(int n, Func<int, DateTimeOffset> expiration) =>
        $$"""{"AccessKeyId":"ASIAFETCH{{n}}","SecretAccessKey":"s{{n}}","Token":"t{{n}}","Expiration":"{{expiration(n).ToString("O", CultureInfo.InvariantCulture)}}"}""";

    private static (AwsCredentialChain Chain, FakeAwsEnvironment Environment, ManualClock Clock, AwsCredentialCache Cache) Setup(FakeHttpServer imds)
    {
        var environment = new FakeAwsEnvironment();
        var clock = new ManualClock(Start);
        var cache = new AwsCredentialCache();
        var http = AwsTestSeam.Http(new Dictionary<(string, int), int> { [(AwsTestSeam.Imds, 80)] = imds.Port });
        return (new AwsCredentialChain(null, null, new AwsDependencies(environment, http, cache, clock)), environment, clock, cache);
    }

    private static Task<ResolvedAwsCredentials> Resolve(AwsCredentialChain chain) => chain.ResolveAsync(OperationContext.Start(true, CancellationToken.None));

    [Fact]
    public async Task Fetched_credentials_are_reused_until_five_minutes_before_they_expire()
    {
        await using var imds = Imds(_ => Start.AddHours(1));
        var (chain, _, clock, _) = Setup(imds);

        var first = await Resolve(chain);
        clock.Now = Start.AddMinutes(54);
        var second = await Resolve(chain);
        clock.Now = Start.AddMinutes(55).AddSeconds(1);
        var third = await Resolve(chain);

        Assert.Equal("ASIAFETCH1", first.Credentials.AccessKeyId);
        Assert.Same(first.Credentials, second.Credentials);
        Assert.Equal("EC2 instance metadata (IMDSv2), cached", second.Source);
        Assert.Equal("ASIAFETCH2", third.Credentials.AccessKeyId);
        Assert.Equal(6, imds.Requests.Count);
    }

    [Fact]
    public async Task Credentials_without_an_expiry_or_about_to_expire_are_not_cached()
    {
        await using var imds = Imds(n => Start.AddMinutes(4));
        var (chain, _, _, cache) = Setup(imds);

        await Resolve(chain);
        await Resolve(chain);

        Assert.Null(cache.Peek);
        Assert.Equal(6, imds.Requests.Count);
    }

    [Fact]
    public async Task Environment_variables_that_appear_after_a_cached_fetch_do_not_replace_it()
    {
        await using var imds = Imds(_ => Start.AddHours(1));
        var (chain, environment, _, cache) = Setup(imds);

        var fetched = await Resolve(chain);
        environment.With("AWS_ACCESS_KEY_ID", "AKIAFROMENV").With("AWS_SECRET_ACCESS_KEY", "env-secret");
        var later = await Resolve(chain);
        cache.Clear();
        var afterClear = await Resolve(chain);

        Assert.Same(fetched.Credentials, later.Credentials);
        Assert.Equal("AKIAFROMENV", afterClear.Credentials.AccessKeyId);
        Assert.Equal("environment variables", afterClear.Source);
    }

    [Fact]
    public async Task Environment_variables_present_from_the_start_are_read_every_time_and_never_cached()
    {
        await using var imds = Imds(_ => Start.AddHours(1));
        var (chain, environment, _, cache) = Setup(imds);
        environment.With("AWS_ACCESS_KEY_ID", "AKIAFIRST").With("AWS_SECRET_ACCESS_KEY", "one");

        var first = await Resolve(chain);
        environment.With("AWS_ACCESS_KEY_ID", "AKIASECOND").With("AWS_SECRET_ACCESS_KEY", "two");
        var second = await Resolve(chain);

        Assert.Equal(("AKIAFIRST", "AKIASECOND"), (first.Credentials.AccessKeyId, second.Credentials.AccessKeyId));
        Assert.Null(cache.Peek);
        Assert.Empty(imds.Requests);
    }

    [Fact]
    public async Task Explicit_keys_and_a_custom_provider_bypass_the_cache()
    {
        var cache = new AwsCredentialCache();
        cache.Set(new AwsCredentials("ASIACACHED", "c", "t", Start.AddHours(1)), "web identity");
        var dependencies = new AwsDependencies(new FakeAwsEnvironment(), AwsTestSeam.Http(new Dictionary<(string, int), int>()), cache, new ManualClock(Start));
        var provider = new CountingProvider(new AwsCredentials("AKIAPROVIDED", "p"));

        var fromKeys = await new AwsCredentialChain(new AwsCredentials("AKIAEXPLICIT", "e"), null, dependencies).ResolveAsync(OperationContext.Start(true, default));
        var fromProvider = await new AwsCredentialChain(null, provider, dependencies).ResolveAsync(OperationContext.Start(true, default));

        Assert.Equal(("AKIAEXPLICIT", "explicit keys on MongoClientSettings"), (fromKeys.Credentials.AccessKeyId, fromKeys.Source));
        Assert.Equal(("AKIAPROVIDED", "AWS_CREDENTIAL_PROVIDER"), (fromProvider.Credentials.AccessKeyId, fromProvider.Source));
        Assert.Equal("ASIACACHED", cache.Peek!.AccessKeyId);
    }

    [Fact]
    public void Credentials_never_print_their_secret_or_token()
    {
        var text = new AwsCredentials("AKIAPRINTED", "secret-value-xyz", "token-value-xyz", Start).ToString();

        Assert.Contains("AKIAPRINTED", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value-xyz", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token-value-xyz", text, StringComparison.Ordinal);
    }
}
