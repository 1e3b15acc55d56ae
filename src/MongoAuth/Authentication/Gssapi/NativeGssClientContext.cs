using System.Runtime.InteropServices;
using System.Text;

namespace MongoAuth.Authentication.Gssapi;

/// <summary>
/// A Kerberos client context made directly through libgssapi_krb5: the target is imported as a Kerberos principal
/// name (<c>service/host@REALM</c>), which <c>NegotiateAuthentication</c> cannot express. Used for SERVICE_REALM,
/// and to read the library's own explanation when <c>NegotiateAuthentication</c> reports a coarse failure.
/// </summary>
internal sealed class NativeGssClientContext : IGssClientContext
{
    // krb5 error codes (com_err table "krb5", base -1765328384) that deserve their own message.
    private const int Krb5Base = -1765328384;
    private const uint NoCredentialMajor = 7u << 16;

    private IntPtr _target;
    private IntPtr _credential;
    private IntPtr _context;

    /// <param name="target">
    /// The service: a Kerberos principal (<c>mongodb/db.example.com@EXAMPLE.COM</c>) or, when
    /// <paramref name="isHostBased"/>, a host-based name (<c>mongodb@db.example.com</c>) whose realm krb5.conf gives.
    /// </param>
    /// <param name="isHostBased">Whether <paramref name="target"/> is a host-based service name.</param>
    /// <param name="username">The user principal; used only with a password.</param>
    /// <param name="password">The password, or null for the ticket cache.</param>
    public NativeGssClientContext(string target, bool isHostBased, string username, string? password)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new GssException(GssFailureKind.Other, "a realm-qualified service principal (SERVICE_REALM) is supported on Linux (libgssapi_krb5) and Windows (SSPI) only");
        }

        if (!LibGssapi.IsAvailable)
        {
            throw new GssException(GssFailureKind.LibraryMissing, $"{LibGssapi.LibraryName} could not be loaded");
        }

        try
        {
            _target = ImportName(target, isHostBased ? LibGssapi.HostBasedServiceName : LibGssapi.KerberosPrincipalName);
            if (password is not null)
            {
                _credential = AcquireWithPassword(username, password);
            }
        }
        catch
        {
            Release();
            throw;
        }
    }

    ~NativeGssClientContext() => Release();

    public bool IsComplete { get; private set; }

    public unsafe byte[] Step(ReadOnlySpan<byte> incoming)
    {
        fixed (byte* data = incoming)
        {
            var input = new LibGssapi.Buffer { Length = (nuint)incoming.Length, Value = (IntPtr)data };
            var major = LibGssapi.gss_init_sec_context(
                out var minor, _credential, ref _context, _target, LibGssapi.KerberosMechanism,
                LibGssapi.MutualFlag | LibGssapi.IntegrityFlag, 0, IntPtr.Zero, ref input, IntPtr.Zero,
                out var output, out _, IntPtr.Zero);
            var token = TakeBuffer(ref output);
            ThrowIfError(major, minor, _credential != IntPtr.Zero);
            IsComplete = major == LibGssapi.Complete;
            return token;
        }
    }

    public unsafe byte[] Wrap(ReadOnlySpan<byte> message)
    {
        fixed (byte* data = message)
        {
            var input = new LibGssapi.Buffer { Length = (nuint)message.Length, Value = (IntPtr)data };
            var major = LibGssapi.gss_wrap(out var minor, _context, 0, 0, ref input, out _, out var output);
            var wrapped = TakeBuffer(ref output);
            ThrowIfError(major, minor, false);
            return wrapped;
        }
    }

    public unsafe byte[] Unwrap(ReadOnlySpan<byte> message)
    {
        fixed (byte* data = message)
        {
            var input = new LibGssapi.Buffer { Length = (nuint)message.Length, Value = (IntPtr)data };
            var major = LibGssapi.gss_unwrap(out var minor, _context, ref input, out var output, out _, out _);
            var plain = TakeBuffer(ref output);
            ThrowIfError(major, minor, false);
            return plain;
        }
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        if (_context != IntPtr.Zero)
        {
            _ = LibGssapi.gss_delete_sec_context(out _, ref _context, IntPtr.Zero);
        }

        if (_credential != IntPtr.Zero)
        {
            _ = LibGssapi.gss_release_cred(out _, ref _credential);
        }

        if (_target != IntPtr.Zero)
        {
            _ = LibGssapi.gss_release_name(out _, ref _target);
        }
    }

    private static unsafe IntPtr ImportName(string name, IntPtr nameType)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* data = bytes)
        {
            var buffer = new LibGssapi.Buffer { Length = (nuint)bytes.Length, Value = (IntPtr)data };
            var major = LibGssapi.gss_import_name(out var minor, ref buffer, nameType, out var imported);
            ThrowIfError(major, minor, false);
            return imported;
        }
    }

    private static unsafe IntPtr AcquireWithPassword(string username, string password)
    {
        var user = ImportName(username, LibGssapi.KerberosPrincipalName);
        var secret = Encoding.UTF8.GetBytes(password);
        try
        {
            fixed (byte* data = secret)
            {
                var buffer = new LibGssapi.Buffer { Length = (nuint)secret.Length, Value = (IntPtr)data };
                var major = LibGssapi.gss_acquire_cred_with_password(
                    out var minor, user, ref buffer, 0, IntPtr.Zero, LibGssapi.InitiateOnly, out var credential,
                    IntPtr.Zero, IntPtr.Zero);
                ThrowIfError(major, minor, true);
                return credential;
            }
        }
        finally
        {
            Array.Clear(secret);
            _ = LibGssapi.gss_release_name(out _, ref user);
        }
    }

    private static byte[] TakeBuffer(ref LibGssapi.Buffer buffer)
    {
        var bytes = buffer.Length == 0 ? [] : new byte[checked((int)buffer.Length)];
        if (bytes.Length > 0)
        {
            Marshal.Copy(buffer.Value, bytes, 0, bytes.Length);
        }

        LibGssapi.ReleaseBuffer(ref buffer);
        return bytes;
    }

    private static void ThrowIfError(uint major, uint minor, bool hasPassword)
    {
        if (!LibGssapi.IsError(major))
        {
            return;
        }

        var kind = (int)minor switch
        {
            Krb5Base + 6 => GssFailureKind.UnknownClient,             // KDC_ERR_C_PRINCIPAL_UNKNOWN
            Krb5Base + 7 => GssFailureKind.UnknownService,            // KDC_ERR_S_PRINCIPAL_UNKNOWN
            Krb5Base + 24 or Krb5Base + 31 => GssFailureKind.BadPassword, // PREAUTH_FAILED, AP_ERR_BAD_INTEGRITY
            Krb5Base + 156 => GssFailureKind.KdcUnreachable,          // KRB5_KDC_UNREACH
            _ when (major & 0xFFFF0000) == NoCredentialMajor && !hasPassword => GssFailureKind.NoCredentials,
            _ => GssFailureKind.Other,
        };
        throw new GssException(kind, LibGssapi.DescribeStatus(major, minor));
    }
}
