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
        var hint = serverCode == 18 ? " Check the user name, the password and authSource (the database the user is defined in)." : string.Empty;
        return new MongoAuthenticationException(
            $"Authentication with {mechanism.Name} failed for user {user} on database '{mechanism.Source}' at {step}: {reason}.{hint}", inner)
        {
            Mechanism = mechanism.Name,
            ServerErrorCode = serverCode,
        };
    }

    public async Task<BsonDocument> RunCommandAsync(ICommandChannel channel, string database, BsonDocument command, string step, CancellationToken cancellationToken)
    {
        try
        {
            return await channel.RunCommandAsync(database, command, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException e)
        {
            var name = e.CodeName is null ? $"{e.Code}" : $"{e.Code} {e.CodeName}";
            throw Create(step, $"the server answered {name}: {e.ServerMessage.TrimEnd('.')}", e.Code, e);
        }
    }

    public async Task<SaslStepResult> RunStepAsync(ISaslStep step, ReadOnlyMemory<byte> serverPayload, string stepName, CancellationToken cancellationToken)
    {
        try
        {
            return await step.ExecuteAsync(serverPayload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not MongoConnectionException)
        {
            throw Create($"the client's handling of {stepName}", e.Message.TrimEnd('.'), null, e);
        }
    }
}
