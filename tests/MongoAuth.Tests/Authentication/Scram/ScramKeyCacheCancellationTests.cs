using System.Security.Cryptography;
using MongoAuth.Authentication.Scram;

namespace MongoAuth.Tests.Authentication.Scram;

// A derivation runs under the token of the conversation that started it. Its cancellation must neither be cached
// nor handed to waiters whose own tokens have not fired; a waiter's own token must end its wait.
public sealed class ScramKeyCacheCancellationTests
{
    // Above ScramAlgorithm.UninterruptibleIterationLimit, so the interruptible loop runs: a few hundred ms.
    private const int Iterations = 400_000;
    private static readonly byte[] Password = "pencil"u8.ToArray();
    private static readonly byte[] Salt = [8, 7, 6, 5, 4, 3, 2, 1];

    [Fact]
    public void A_cancelled_derivation_is_not_cached()
    {
        var cache = new ScramKeyCache();
        using (var cancellation = new CancellationTokenSource())
        {
            var deriving = Task.Run(() => cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, Iterations, cancellation.Token));
            SpinWait.SpinUntil(() => cache.DerivationCount == 1);
            cancellation.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => deriving.GetAwaiter().GetResult());
        }

        ScramKeys keys = cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, Iterations);

        Assert.Equal(2, cache.DerivationCount); // derived again, not a cached cancellation
        Assert.Equal(ExpectedClientKey(), keys.ClientKey);
    }

    [Fact]
    public async Task A_waiter_whose_token_did_not_fire_derives_after_the_first_caller_is_cancelled()
    {
        var cache = new ScramKeyCache();
        using var cancellation = new CancellationTokenSource();
        var first = Task.Run(() => cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, Iterations, cancellation.Token));
        SpinWait.SpinUntil(() => cache.DerivationCount == 1);
        var waiter = Task.Run(() => cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, Iterations, CancellationToken.None));
        // Cancel while the first derivation still runs: a fixed delay could outlast it on a loaded machine. The waiter
        // may or may not have reached its wait by then; either way it must derive for itself, not inherit the cancellation.
        SpinWait.SpinUntil(() => waiter.Status == TaskStatus.Running, TimeSpan.FromMilliseconds(50));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        ScramKeys keys = await waiter;
        Assert.Equal(ExpectedClientKey(), keys.ClientKey);
        Assert.Equal(2, cache.DerivationCount);
        Assert.Same(keys, cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, Iterations));
    }

    [Fact]
    public async Task A_waiter_whose_token_fires_stops_waiting_and_the_derivation_goes_on()
    {
        var cache = new ScramKeyCache();
        var first = Task.Run(() => cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, Iterations, CancellationToken.None));
        SpinWait.SpinUntil(() => cache.DerivationCount == 1);
        using var waiterCancellation = new CancellationTokenSource();
        await waiterCancellation.CancelAsync();

        // Asked on this thread while the first derivation runs (a Task.Run waiter could start only after it ended on a
        // busy machine, and then rightly get the cached keys): the waiter's own fired token ends its wait.
        Assert.ThrowsAny<OperationCanceledException>(() => cache.GetOrDerive(ScramAlgorithm.Sha256, Password, Salt, Iterations, waiterCancellation.Token));
        ScramKeys keys = await first;
        Assert.Equal(ExpectedClientKey(), keys.ClientKey);
        Assert.Equal(1, cache.DerivationCount);
    }

    private static byte[] ExpectedClientKey()
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Password, Salt, Iterations, HashAlgorithmName.SHA256, 32);
        return HMACSHA256.HashData(salted, "Client Key"u8);
    }
}
