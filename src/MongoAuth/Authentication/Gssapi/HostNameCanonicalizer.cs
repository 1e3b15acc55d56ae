namespace MongoAuth.Authentication.Gssapi;

/// <summary>The CANONICALIZE_HOST_NAME algorithm of the MongoDB authentication specification.</summary>
internal static class HostNameCanonicalizer
{
    /// <summary>
    /// none: <paramref name="host"/> as given. forward: the lower-cased canonical name after CNAMEs.
    /// forwardAndReverse: the lower-cased PTR name of the first address. Any lookup failure, or no address,
    /// falls back to <paramref name="host"/>, and so does a reverse answer that is only the address.
    /// </summary>
    internal static async Task<string> CanonicalizeAsync(
        string host,
        CanonicalizeHostName mode,
        IKerberosHostResolver resolver,
        CancellationToken cancellationToken)
    {
        if (mode == CanonicalizeHostName.None)
        {
            return host;
        }

        try
        {
            var entry = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            if (entry.Addresses.Count == 0)
            {
                return host;
            }

            var name = mode == CanonicalizeHostName.Forward
                ? entry.CanonicalName
                : await resolver.ReverseAsync(entry.Addresses[0], cancellationToken).ConfigureAwait(false);
            // A resolver without a PTR record may hand back the address itself: that is no host name.
            name = name.TrimEnd('.');
            return name.Length == 0 || System.Net.IPAddress.TryParse(name, out _) ? host : name.ToLowerInvariant();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return host;
        }
    }
}
