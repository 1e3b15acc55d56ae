using MongoAuth.Operations;
using MongoDB.Bson;

namespace MongoAuth.Authentication;

/// <summary>
/// Turns failures of one conversation into <see cref="MongoAuthenticationException"/>s that name the mechanism, user,
/// source and step (never a secret), and tells the mechanism's error hook first.
/// </summary>
internal sealed class AuthenticationFailure(IAuthenticationMechanism mechanism, string? username, SaslConversationContext context, bool speculative)
{
    public MongoAuthenticationException Create(string step, string reason, int? serverCode, Exception? inner)
    {
        (mechanism as IAuthenticationErrorHandler)?.OnAuthenticationFailed(context, serverCode, speculative);
        var user = username is null ? "(no user name)" : $"'{username}'";
        var hint = serverCode == 18 ? " " + HintFor(mechanism.Name) : string.Empty;
        return new MongoAuthenticationException(
            $"Authentication with {mechanism.Name} failed for user {user} on database '{mechanism.Source}' at {step}: {reason}.{hint}", inner)
        {
            Mechanism = mechanism.Name,
            ServerErrorCode = serverCode,
        };
    }

    /// <summary>What to check after an AuthenticationFailed (18), in the terms of the mechanism.</summary>
    private static string HintFor(string mechanism) => mechanism switch
    {
        "MONGODB-X509" => "Check that a user named exactly the certificate's RFC 2253 subject exists on $external.",
        "GSSAPI" => "Check that the Kerberos principal exists as a user on $external and that SERVICE_NAME matches the server.",
        "PLAIN" => "Check the user name and password against the LDAP directory, and authSource ($external by default).",
        _ => "Check the user name, the password and authSource (the database the user is defined in).",
    };

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
        catch (Exception e) when (e is not OperationCanceledException and not MongoConnectionException)
        {
            throw Create($"the client's handling of {stepName}", e.Message.TrimEnd('.'), null, e);
        }
    }
}
