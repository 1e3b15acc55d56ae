namespace MongoAuth.Authentication;

/// <summary>
/// What is known about a failed authentication step, handed to <see cref="MechanismDescriptor.HintFor"/> so that a
/// mechanism adds a hint only when the evidence points to it (for example: what code 18 means for this mechanism).
/// </summary>
/// <param name="Step">The step that failed: <c>saslStart</c>, <c>saslContinue 1</c>, <c>saslContinue 2</c>…,
/// <c>authenticate</c>, <c>speculative hello</c>, or the client's handling of a server message.</param>
/// <param name="Kind">What went wrong.</param>
/// <param name="ServerErrorCode">The server's error code when <paramref name="Kind"/> is
/// <see cref="AuthenticationFailureKind.ServerError"/> (18 = AuthenticationFailed); otherwise null.</param>
public sealed record AuthenticationFailureEvidence(string Step, AuthenticationFailureKind Kind, int? ServerErrorCode);
