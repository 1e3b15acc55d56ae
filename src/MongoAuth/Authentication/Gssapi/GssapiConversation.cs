using System.Text;
using MongoAuth.Operations;

namespace MongoAuth.Authentication.Gssapi;

/// <summary>
/// One GSSAPI conversation on one connection. It is its own next step: first the krb5 token exchange (AP-REQ, the
/// server's AP-REP, an empty acknowledgement), then the RFC 4752 security layer: unwrap the server's 4-byte offer and
/// answer, integrity-protected, "no security layer" with the user name as authorization identity. Dispose it to
/// release the security context early; it is released after the last step anyway.
/// </summary>
internal sealed class GssapiConversation : IContextualSaslStep, IDisposable
{
    private const byte NoSecurityLayer = 0x01;

    private readonly GssapiMechanism _mechanism;
    private readonly string _host;
    private IGssClientContext? _context;
    private string _servicePrincipal = "";
    private bool _finished;

    internal GssapiConversation(GssapiMechanism mechanism, string host)
    {
        _mechanism = mechanism;
        _host = host;
    }

    /// <summary>The service principal used, once the first step ran (for messages and tests).</summary>
    internal string ServicePrincipal => _servicePrincipal;

    /// <summary>Whether the security context was released (for tests).</summary>
    internal bool IsDisposed => _finished;

    public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken) =>
        ExecuteAsync(serverPayload, OperationContext.Start(isAsync: true, cancellationToken));

    /// <summary>The loop's form: the host name lookup of the first step is synchronous when the operation is.</summary>
    public async ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, OperationContext context)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        try
        {
            if (_context is null)
            {
                return new SaslStepResult(await StartAsync(context).ConfigureAwait(false), this);
            }

            if (!_context.IsComplete)
            {
                return new SaslStepResult(Continue(serverPayload.Span), this);
            }

            var answer = NegotiateSecurityLayer(serverPayload.Span);
            Dispose();
            return new SaslStepResult(answer, null);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Releases the security context; the SASL loop calls it again at the end, which does nothing.</summary>
    public void Dispose()
    {
        _finished = true;
        _context?.Dispose();
        _context = null;
    }

    private async Task<byte[]> StartAsync(OperationContext context)
    {
        var options = _mechanism.Options;
        var host = options.ServiceHost
            ?? await HostNameCanonicalizer.CanonicalizeAsync(_host, options.Canonicalize, _mechanism.Resolver, context)
                .ConfigureAwait(false);
        _servicePrincipal = options.ServiceRealm is null
            ? $"{options.ServiceName}/{host}"
            : $"{options.ServiceName}/{host}@{options.ServiceRealm}";
        try
        {
            if (OperatingSystem.IsLinux() && !LibGssapi.IsAvailable)
            {
                throw new GssException(GssFailureKind.LibraryMissing, $"{LibGssapi.LibraryName} could not be loaded");
            }

            // On Linux and macOS NegotiateAuthentication cannot name a realm-qualified target, so SERVICE_REALM goes
            // to libgssapi there; SSPI on Windows takes service/host@REALM as it is.
            _context = options.ServiceRealm is null || OperatingSystem.IsWindows()
                ? new NegotiateGssClientContext(_servicePrincipal, _mechanism.Username, _mechanism.Password)
                : new NativeGssClientContext(_servicePrincipal, isHostBased: false, _mechanism.Username, _mechanism.Password);
            return _context.Step(ReadOnlySpan<byte>.Empty);
        }
        catch (GssException e)
        {
            throw GssapiErrors.Failed(_mechanism, _servicePrincipal, Explain(e, options.ServiceName, host));
        }
    }

    private byte[] Continue(ReadOnlySpan<byte> serverToken)
    {
        try
        {
            return _context!.Step(serverToken);
        }
        catch (GssException e)
        {
            throw GssapiErrors.Failed(_mechanism, _servicePrincipal, e, "verifying the server's reply (mutual authentication)");
        }
    }

    private byte[] NegotiateSecurityLayer(ReadOnlySpan<byte> wrappedOffer)
    {
        byte[] offer;
        try
        {
            offer = _context!.Unwrap(wrappedOffer);
        }
        catch (GssException e)
        {
            throw GssapiErrors.Failed(_mechanism, _servicePrincipal, e, "unwrapping the server's security-layer offer");
        }

        if (offer.Length != 4)
        {
            throw GssapiErrors.Protocol($"the server's security-layer offer has {offer.Length} bytes instead of 4");
        }

        if ((offer[0] & NoSecurityLayer) == 0)
        {
            throw GssapiErrors.Protocol("the server requires a security layer; MongoDB connections use none");
        }

        // No security layer, maximum message size 0, then the authorization identity: the user as configured.
        var user = Encoding.UTF8.GetBytes(_mechanism.Username);
        var answer = new byte[4 + user.Length];
        answer[0] = NoSecurityLayer;
        user.CopyTo(answer, 4);
        try
        {
            return _context.Wrap(answer);
        }
        catch (GssException e)
        {
            throw GssapiErrors.Failed(_mechanism, _servicePrincipal, e, "wrapping the security-layer answer");
        }
    }

    /// <summary>
    /// <c>NegotiateAuthentication</c> reports only a coarse status; where libgssapi is at hand, repeat the first step
    /// through it to learn why (wrong password, KDC unreachable, unknown service), which costs a KDC round trip only
    /// on failure.
    /// </summary>
    private GssException Explain(GssException coarse, string serviceName, string host)
    {
        if (_context is NativeGssClientContext || coarse.Kind == GssFailureKind.LibraryMissing || !LibGssapi.IsAvailable)
        {
            return coarse;
        }

        try
        {
            using var probe = new NativeGssClientContext($"{serviceName}@{host}", isHostBased: true, _mechanism.Username, _mechanism.Password);
            probe.Step(ReadOnlySpan<byte>.Empty);
            return coarse;
        }
        catch (GssException precise)
        {
            return precise;
        }
    }
}
