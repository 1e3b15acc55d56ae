using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace MongoAuth.Benchmarks.Clients;

/// <summary>
/// The official driver P/Invokes <c>gssapi_krb5</c>, which the loader finds only where the unversioned development
/// link <c>libgssapi_krb5.so</c> exists (libkrb5-dev); the runtime package installs only <c>libgssapi_krb5.so.2</c>.
/// This maps that name to the runtime library, the one MongoAuth binds, so both drivers use the same library without
/// extra packages. It hooks the loader's fallback event (which any number of components may do), not the
/// one-per-assembly import resolver, so it composes with anything else in the process. Used by the benchmarks and by
/// the reference-client tests.
/// </summary>
internal static class OfficialDriverGssapiLibrary
{
    private const string RuntimeLibrary = "libgssapi_krb5.so.2";
    private static int s_registered;

    /// <summary>Installs the mapping once per process.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
                name is "gssapi_krb5" or "libgssapi_krb5" && NativeLibrary.TryLoad(RuntimeLibrary, out var handle) ? handle : IntPtr.Zero;
        }
    }
}
