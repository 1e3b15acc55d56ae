using System.Buffers;
using System.Net;
using System.Net.Security;

namespace MongoAuth.Authentication.Gssapi;

/// <summary>
/// The usual back-end: <see cref="NegotiateAuthentication"/> with package "Kerberos" (raw krb5 tokens, as mongod's
/// GSSAPI expects) and mutual authentication. On Linux and macOS the target is <c>service/host</c> and the realm comes
/// from krb5.conf; Windows (SSPI) also accepts <c>service/host@REALM</c>.
/// </summary>
internal sealed class NegotiateGssClientContext : IGssClientContext
{
    private readonly NegotiateAuthentication _authentication;
    private readonly bool _hasPassword;

    public NegotiateGssClientContext(string targetName, string username, string? password)
    {
        _hasPassword = password is not null;
        _authentication = new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = "Kerberos",
            TargetName = targetName,
            RequireMutualAuthentication = true,
            // Without a password: the default credentials, i.e. the ticket cache (KRB5CCNAME).
            Credential = password is null ? CredentialCache.DefaultNetworkCredentials : new NetworkCredential(username, password),
        });
    }

    public bool IsComplete => _authentication.IsAuthenticated;

    public byte[] Step(ReadOnlySpan<byte> incoming)
    {
        var token = _authentication.GetOutgoingBlob(incoming, out var status);
        if (status is NegotiateAuthenticationStatusCode.Completed or NegotiateAuthenticationStatusCode.ContinueNeeded)
        {
            return token ?? [];
        }

        var kind = status switch
        {
            NegotiateAuthenticationStatusCode.UnknownCredentials or NegotiateAuthenticationStatusCode.CredentialsExpired =>
                _hasPassword ? GssFailureKind.BadPassword : GssFailureKind.NoCredentials,
            NegotiateAuthenticationStatusCode.Unsupported => GssFailureKind.LibraryMissing,
            _ => GssFailureKind.Other,
        };
        throw new GssException(kind, $"NegotiateAuthentication status {status}");
    }

    public byte[] Wrap(ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>();
        var status = _authentication.Wrap(message, output, requestEncryption: false, out _);
        return status == NegotiateAuthenticationStatusCode.Completed
            ? output.WrittenSpan.ToArray()
            : throw new GssException(GssFailureKind.Other, $"wrap failed with status {status}");
    }

    public byte[] Unwrap(ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>();
        var status = _authentication.Unwrap(message, output, out _);
        return status == NegotiateAuthenticationStatusCode.Completed
            ? output.WrittenSpan.ToArray()
            : throw new GssException(GssFailureKind.Other, $"unwrap failed with status {status}");
    }

    public void Dispose() => _authentication.Dispose();
}
