using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;

namespace MongoAuth.DependencyInjection;

/// <summary>
/// Pings the server through the registered <see cref="MongoClient"/> within a timeout. Unhealthy carries the driver's
/// message, which names the failing step (TCP, TLS, hello, authentication, command) and never a secret.
/// </summary>
internal sealed class MongoHealthCheck(MongoClient client, string database, TimeSpan timeout) : IHealthCheck
{
    private static readonly BsonDocument Ping = new("ping", 1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await client.GetDatabase(database).RunCommandAsync(Ping, timer.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"MongoDB did not answer ping within {timeout.TotalMilliseconds:0} ms.");
        }
        catch (MongoException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e);
        }
    }
}
