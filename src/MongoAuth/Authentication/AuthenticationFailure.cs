using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>
/// Shapes the failures of one conversation, once: a <see cref="MongoAuthenticationException"/> (or, for a network
/// failure, a <see cref="MongoConnectionException"/> that clears the pool) whose message names the mechanism, user,
/// source and step once and adds the descriptor's hint only when the evidence points to it. Tells the mechanism's
/// error hook first. Never puts a secret in a message.
/// </summary>
internal sealed class AuthenticationFailure(
    IAuthenticationMechanism mechanism, string? username, SaslConversationContext context, bool speculative, MechanismDescriptor? descriptor = null)
{
    private readonly MechanismDescriptor? _descriptor = descriptor ?? BuiltInMechanisms.Find(mechanism.Name);

    /// <summary>The failure of <paramref name="step"/>: the server answered <paramref name="serverCode"/>, the client
    /// refused what the server sent (<paramref name="inner"/> set), or the server broke the conversation (neither).</summary>
    public MongoAuthenticationException Create(string step, string reason, int? serverCode, Exception? inner)
    {
        (mechanism as IAuthenticationErrorHandler)?.OnAuthenticationFailed(context, serverCode, speculative);
        var kind = serverCode is not null ? AuthenticationFailureKind.ServerError
            : inner is null ? AuthenticationFailureKind.ProtocolViolation
            : AuthenticationFailureKind.ClientRefused;
        return new MongoAuthenticationException($"{Describe(step)}: {reason.TrimEnd('.')}.{Hint(step, kind, serverCode)}", inner)
        {
            Mechanism = mechanism.Name,
            Username = username,
            AuthSource = mechanism.Source,
            Step = step,
            ServerErrorCode = serverCode,
        };
    }

    public async Task<BsonDocument> RunCommandAsync(ICommandChannel channel, string database, BsonDocument command, string step, OperationContext operation)
    {
        try
        {
            return await channel.RunCommandAsync(database, command, step, operation).ConfigureAwait(false);
        }
        catch (MongoCommandException e)
        {
            var name = e.CodeName is null ? $"{e.Code}" : $"{e.Code} {e.CodeName}";
            throw Create(step, $"the server answered {name}: {e.ServerMessage.TrimEnd('.')}", e.Code, e);
        }
        catch (MongoConnectionException e) when (e is not MongoOperationTimeoutException)
        {
            // A timeout already names the step and the option that bounded it, and keeps its type; any other network
            // failure is said once more, with the mechanism, user and source.
            throw ConnectionFailed(step, e);
        }
    }

    public async Task<SaslStepResult> RunStepAsync(ISaslStep step, ReadOnlyMemory<byte> serverPayload, string stepName, OperationContext operation)
    {
        try
        {
            return step is IContextualSaslStep contextual
                ? await contextual.ExecuteAsync(serverPayload, operation).ConfigureAwait(false)
                : await step.ExecuteAsync(serverPayload, operation.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!operation.IsCallerCancelled && operation.CancellationToken.IsCancellationRequested)
        {
            // The step's token fired at the deadline (e.g. SCRAM's key derivation ran past connectTimeoutMS).
            var server = new MongoServerAddress(context.Endpoint.Host, context.Endpoint.Port);
            throw operation.TimedOut($"{mechanism.Name} client step ({stepName})", server, e, duringAuthentication: true);
        }
        catch (MongoAuthenticationException e) when (e.Step is not null)
        {
            // The mechanism already named itself, the user, the source and its own step (SCRAM does): not wrapped again.
            (mechanism as IAuthenticationErrorHandler)?.OnAuthenticationFailed(context, null, speculative);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException and not MongoConnectionException)
        {
            throw Create($"the client's handling of {stepName}", e.Message, null, e);
        }
    }

    /// <summary>A network failure at <paramref name="step"/>: still a connection error (it clears the pool and may be
    /// retried), now saying where authentication was. Wraps the original cause, not the connection's own wrapper.</summary>
    private MongoConnectionException ConnectionFailed(string step, MongoConnectionException e)
    {
        var timedOut = Connections.Tls.ClientCertificateRefusal.IsTimeout(e) || e.Message.Contains("timed out", StringComparison.Ordinal);
        var server = e.Server?.ToString() ?? $"{context.Endpoint.Host}:{context.Endpoint.Port}";
        var cause = e.InnerException;
        var reason = timedOut || cause is null
            ? e.Message.TrimEnd('.')
            : $"the connection to {server} failed ({cause.Message.TrimEnd('.')}) and was closed";
        var kind = timedOut ? AuthenticationFailureKind.TimedOut : AuthenticationFailureKind.ConnectionClosed;
        return new MongoConnectionException($"{Describe(step)}: {reason}.{Hint(step, kind, null)}", cause ?? e)
        {
            Server = e.Server,
            DuringAuthentication = true,
        };
    }

    private string Describe(string step)
    {
        var user = username is null ? "(no user name)" : $"'{username}'";
        return $"Authentication with {mechanism.Name} failed for user {user} on database '{mechanism.Source}' at {step}";
    }

    private string Hint(string step, AuthenticationFailureKind kind, int? serverCode)
    {
        var evidence = new AuthenticationFailureEvidence(step, kind, serverCode);
        var hint = _descriptor is null ? FactoryMechanismDescriptor.GenericHintFor(evidence) : _descriptor.HintFor(evidence);
        return string.IsNullOrEmpty(hint) ? string.Empty : " " + hint;
    }
}
