using MongoAuth.Authentication.Scram;
using static MongoAuth.Tests.Authentication.Scram.ScramTestSupport;

namespace MongoAuth.Tests.Authentication.Scram;

public sealed class ScramKeyCacheTests
{
    private static readonly byte[] Password = "pencil"u8.ToArray();
    private static readonly byte[] Salt = [1, 2, 3, 4, 5, 6, 7, 8];

    [Fact]
    public void Same_inputs_derive_once_and_return_the_same_keys()
    {
        var cache = new ScramKeyCache();

        ScramKeys first = cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, 4096);
        ScramKeys second = cache.GetOrDerive(ScramAlgorithm.Sha256, [.. Password], [.. Salt], 4096);

        Assert.Same(first, second);
        Assert.Equal(1, cache.DerivationCount);
    }

    [Fact]
    public void Each_part_of_the_key_forces_a_new_derivation()
    {
        var cache = new ScramKeyCache();
        ScramKeys baseline = cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, 4096);

        ScramKeys otherSalt = cache.GetOrDerive(ScramAlgorithm.Sha256, Password, [9, 9, 9], 4096);
        ScramKeys otherIterations = cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, 4097);
        ScramKeys otherPassword = cache.GetOrDerive(ScramAlgorithm.Sha256, "pencil2"u8.ToArray(), Salt, 4096);
        ScramKeys otherMechanism = cache.GetOrDerive(ScramAlgorithm.Sha1, Password, Salt, 4096);

        Assert.Equal(5, cache.DerivationCount);
        Assert.Equal(5, new[] { baseline, otherSalt, otherIterations, otherPassword, otherMechanism }
            .Select(k => Convert.ToHexString(k.ClientKey)).Distinct().Count());
        Assert.Equal(20, otherMechanism.ClientKey.Length);
    }

    [Fact]
    public void A_server_that_keeps_changing_salt_cannot_grow_the_cache_without_bound()
    {
        var cache = new ScramKeyCache();
        for (byte i = 0; i < 40; i++)
        {
            cache.GetOrDerive(ScramAlgorithm.Sha1, Password, [i], 4096);
        }

        // Evicted entries are derived again: the first salt is long gone.
        cache.GetOrDerive(ScramAlgorithm.Sha1, Password, [0], 4096);

        Assert.Equal(41, cache.DerivationCount);
    }

    [Fact]
    public async Task Hundred_concurrent_conversations_on_one_mechanism_derive_the_key_once()
    {
        var server = Server("SCRAM-SHA-256", "app", "s3cret");
        var mechanism = new ScramSha256Mechanism(Credential("app", "s3cret"));

        SaslRun[] runs = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => RunAsync(mechanism, server))));

        Assert.All(runs, run => Assert.Equal("app", run.User.User));
        Assert.Equal(1, mechanism.KeyCache.DerivationCount);
    }

    [Fact]
    public async Task A_new_salt_on_the_server_derives_again_and_still_authenticates()
    {
        var mechanism = new ScramSha1Mechanism(Credential("app", "s3cret"));

        await RunAsync(mechanism, Server("SCRAM-SHA-1", "app", "s3cret"));
        await RunAsync(mechanism, Server("SCRAM-SHA-1", "app", "s3cret"));
        await RunAsync(mechanism, Server("SCRAM-SHA-1", "app", "s3cret", iterations: 5000));

        Assert.Equal(3, mechanism.KeyCache.DerivationCount);
    }
}
