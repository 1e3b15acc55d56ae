using MongoAuth.Operations;

namespace MongoAuth.Authentication;

/// <summary>
/// A built-in SASL step that needs the whole operation context rather than a token: GSSAPI's first step resolves the
/// host name, synchronously on the synchronous path. The loop prefers this form; plug-in steps keep
/// <see cref="ISaslStep.ExecuteAsync"/>, whose token fires at the deadline.
/// </summary>
internal interface IContextualSaslStep : ISaslStep
{
    /// <summary>Like <see cref="ISaslStep.ExecuteAsync"/>, synchronous when <paramref name="context"/> says so.</summary>
    ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, OperationContext context);
}
