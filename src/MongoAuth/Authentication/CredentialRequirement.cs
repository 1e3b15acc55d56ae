namespace MongoAuth.Authentication;

/// <summary>
/// What a mechanism says about one part of the credential (the user name or the password), with the words that go
/// into the error message when the rule is broken: what the part means for this mechanism, or why it is refused.
/// </summary>
public sealed class CredentialRequirement
{
    private CredentialRequirement(CredentialRequirementKind kind, string explanation)
    {
        ArgumentException.ThrowIfNullOrEmpty(explanation);
        Kind = kind;
        Explanation = explanation;
    }

    /// <summary>Needed, or the rule check fails; <paramref name="meaning"/> says what it is for this mechanism
    /// (e.g. "the Kerberos principal, user or user@REALM").</summary>
    public static CredentialRequirement Required(string meaning) => new(CredentialRequirementKind.Required, meaning);

    /// <summary>Accepted but not needed; <paramref name="meaning"/> says what it does when given.</summary>
    public static CredentialRequirement Optional(string meaning) => new(CredentialRequirementKind.Optional, meaning);

    /// <summary>Refused; <paramref name="reason"/> says why (e.g. "the client certificate authenticates").</summary>
    public static CredentialRequirement Forbidden(string reason) => new(CredentialRequirementKind.Forbidden, reason);

    /// <summary>Required, optional or forbidden.</summary>
    public CredentialRequirementKind Kind { get; }

    /// <summary>What the part means for the mechanism, or why it is refused; used in error messages.</summary>
    public string Explanation { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Explanation}";
}
