using MongoAuth.Operations;

namespace MongoAuth.Authentication.Gssapi;

/// <summary>The CANONICALIZE_HOST_NAME algorithm of the MongoDB authentication specification.</summary>
internal static class HostNameCanonicalizer
{
    /// <summary>
    /// none: <paramref name="host"/> as given. forward: the lower-cased canonical name after CNAMEs.
    /// forwardAndReverse: the lower-cased PTR name of the first address. Any lookup failure, or no address,
    /// falls back to <paramref name="host"/>, and so does a reverse answer that is only the address; the caller's
    /// cancellation and the operation's deadline do not (they end the authentication). Synchronous when the context is.
    /// </summary>
    internal static async Task<string> CanonicalizeAsync(
        string host,
        CanonicalizeHostName mode,
        IKerberosHostResolver resolver,
        OperationContext context)
    {
        if (mode == CanonicalizeHostName.None)
        {
            return host;
        }

        try
        {
            var entry = await resolver.ResolveAsync(host, context).ConfigureAwait(false);
            if (entry.Addresses.Count == 0)
            {
                return host;
            }

            var name = mode == CanonicalizeHostName.Forward
                ? entry.CanonicalName
                : await resolver.ReverseAsync(entry.Addresses[0], context).ConfigureAwait(false);
            // A resolver without a PTR record may hand back the address itself: that is no host name.
            name = name.TrimEnd('.');
            return name.Length == 0 || System.Net.IPAddress.TryParse(name, out _) ? host : name.ToLowerInvariant();
        }
        catch (Exception e) when (e is not MongoOperationTimeoutException && !context.CancellationToken.IsCancellationRequested)
        {
            return host;
        }
    }
}
