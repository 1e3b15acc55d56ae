using System.Diagnostics;
using MongoAuth.Authentication.Oidc;
using MongoAuth.Operations;

namespace MongoAuth.Tests.Oidc;

/// <summary>The client cache's rules on their own: read-through under one lock, 100 ms between calls, compare-and-swap invalidation.</summary>
public sealed class OidcTokenCacheTests
{
    private static OperationContext Async => OperationContext.Start(isAsync: true, CancellationToken.None, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Many_callers_at_once_cause_one_fetch_and_all_get_its_token()
    {
        var cache = new OidcTokenCache(TimeProvider.System);
        var calls = 0;
        async Task<OidcToken> Fetch(string? _)
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(200);
            return new OidcToken("t1");
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => cache.GetOrFetchAsync(Fetch, "test", allowCached: true, Async))));

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Same(results[0].Token, r.Token));
        Assert.Single(results, r => r.Fetched);
    }

    [Fact]
    public async Task Invalidation_removes_only_the_token_it_names()
    {
        var cache = new OidcTokenCache(TimeProvider.System);
        var n = 0;
        Task<OidcToken> Fetch(string? _) => Task.FromResult(new OidcToken($"t{++n}"));
        var (first, _) = await cache.GetOrFetchAsync(Fetch, "test", allowCached: true, Async);
        Assert.True(cache.Invalidate(first));
        var (second, _) = await cache.GetOrFetchAsync(Fetch, "test", allowCached: true, Async);

        Assert.False(cache.Invalidate(first)); // a stale connection cannot evict the new token
        Assert.Same(second, cache.Current);
        Assert.Equal("t2", second.AccessToken);
    }

    [Fact]
    public async Task Two_calls_are_at_least_100_ms_apart()
    {
        var cache = new OidcTokenCache(TimeProvider.System);
        var times = new List<long>();
        Task<OidcToken> Fetch(string? _)
        {
            times.Add(Stopwatch.GetTimestamp());
            return Task.FromResult(new OidcToken("t"));
        }

        var (token, _) = await cache.GetOrFetchAsync(Fetch, "test", allowCached: true, Async);
        cache.Invalidate(token);
        await cache.GetOrFetchAsync(Fetch, "test", allowCached: true, Async);

        Assert.Equal(2, times.Count);
        Assert.True(Stopwatch.GetElapsedTime(times[0], times[1]) >= TimeSpan.FromMilliseconds(95));
    }

    [Fact]
    public async Task A_token_past_its_expiresIn_is_not_served()
    {
        var clock = new ManualClock();
        var cache = new OidcTokenCache(clock);
        await cache.GetOrFetchAsync(_ => Task.FromResult(new OidcToken("t", TimeSpan.FromMinutes(5))), "test", allowCached: true, Async);
        Assert.NotNull(cache.Current);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(cache.Current);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
