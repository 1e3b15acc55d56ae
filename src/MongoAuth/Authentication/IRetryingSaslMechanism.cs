namespace MongoAuth.Authentication;

/// <summary>
/// A SASL mechanism that may run its conversation once more after a failure, on the same connection: MONGODB-OIDC
/// retries with a fresh token when the server refuses a cached one with code 18 (authentication specification,
/// MONGODB-OIDC "Client Cache"). The mechanism forgets what failed before it answers true, so retries end.
/// </summary>
internal interface IRetryingSaslMechanism : ISaslMechanism
{
    /// <summary>Whether to run the conversation again after <paramref name="failure"/>.</summary>
    bool ShouldRetry(SaslConversationContext context, MongoAuthenticationException failure);
}
