using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace MongoAuth.Connections.Tls;

/// <summary>
/// Loads the client certificate and its private key from <c>tlsCertificateKeyFile</c> (PEM or PKCS#12) or from
/// <see cref="MongoTlsSettings.ClientCertificates"/>. Every error is a <see cref="MongoConfigurationException"/>
/// that names the file and never the password.
/// </summary>
/// <remarks>
/// PEM files hold the certificate (and optionally its intermediates) plus one private key: PKCS#1 (<c>RSA PRIVATE
/// KEY</c>), SEC1 (<c>EC PRIVATE KEY</c>), PKCS#8 (<c>PRIVATE KEY</c>) or encrypted PKCS#8 (<c>ENCRYPTED PRIVATE
/// KEY</c>, decrypted with <c>tlsCertificateKeyFilePassword</c>). The leaf is the certificate whose public key
/// matches the private key, wherever it sits in the file. The result is always re-imported through PKCS#12 (one
/// code path on every OS): Windows SChannel cannot use the ephemeral key <c>CopyWithPrivateKey</c> makes.
/// </remarks>
internal static class ClientCertificateLoader
{
    private const string Option = "tlsCertificateKeyFile";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <summary>The client certificate the settings configure, or <see langword="null"/> when there is none.</summary>
    public static ClientCertificate? Resolve(MongoTlsSettings settings)
    {
        if (settings.CertificateKeyFile is not null)
        {
            return LoadFile(settings.CertificateKeyFile, settings.CertificateKeyFilePassword);
        }

        return settings.ClientCertificates is { Count: > 0 } fromCode ? FromCode(fromCode) : null;
    }

    /// <summary>Certificates given from code: the first must have its private key; the rest are sent as intermediates.</summary>
    public static ClientCertificate FromCode(X509Certificate2Collection certificates)
    {
        var leaf = certificates[0];
        if (!leaf.HasPrivateKey)
        {
            throw TlsFiles.Error("ClientCertificates",
                $"The client certificate '{Rfc2253Name.Subject(leaf)}' given in ClientCertificates has no private key. Load it with its key " +
                "(for example X509CertificateLoader.LoadPkcs12FromFile or X509Certificate2.CreateFromPemFile); an X509Certificate " +
                "copy or a certificate-only file loses the key.");
        }

        return new ClientCertificate(leaf, [.. certificates.Skip(1)]);
    }

    /// <summary>Loads a PEM or PKCS#12 file; the format is told by its content, not its name.</summary>
    public static ClientCertificate LoadFile(string path, string? password)
    {
        var bytes = TlsFiles.ReadBytes(path, Option);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        return text.Contains("-----BEGIN", StringComparison.Ordinal) ? LoadPem(path, text, password) : LoadPkcs12(path, bytes, password);
    }

    private static ClientCertificate LoadPkcs12(string path, byte[] bytes, string? password)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(bytes, password, KeyStorage);
        }
        catch (CryptographicException e)
        {
            throw TlsFiles.Error(Option, password is null
                ? $"tlsCertificateKeyFile '{path}' is neither PEM nor a PKCS#12 file that opens without a password; if it is encrypted, set tlsCertificateKeyFilePassword."
                : $"tlsCertificateKeyFile '{path}' could not be opened as PKCS#12 with the given tlsCertificateKeyFilePassword: the password is wrong or the file is damaged.", e);
        }

        var leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw NoPrivateKey(path, all.Count > 0);
        return new ClientCertificate(leaf, [.. all.Where(c => !ReferenceEquals(c, leaf))]);
    }

    private static ClientCertificate LoadPem(string path, string text, string? password)
    {
        if (PemBlocks.HasLegacyEncryptedKey(text))
        {
            throw TlsFiles.Error(Option,
                $"tlsCertificateKeyFile '{path}' holds a key in the legacy OpenSSL encrypted form ('Proc-Type: 4,ENCRYPTED'), which .NET cannot read. " +
                "Convert it to encrypted PKCS#8: 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out key.pem'.");
        }

        var blocks = PemBlocks.Read(text);
        var certificates = blocks.Where(b => b.Label == "CERTIFICATE").Select(b => LoadCertificate(path, b)).ToList();
        var keyBlocks = blocks.Where(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)).ToList();
        if (certificates.Count == 0)
        {
            throw TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}' holds no certificate ('-----BEGIN CERTIFICATE-----'); put the client certificate and its key in the same file.");
        }

        if (keyBlocks.Count != 1)
        {
            throw keyBlocks.Count == 0 ? NoPrivateKey(path, true) : TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}' holds {keyBlocks.Count} private keys; keep only the client certificate's key.");
        }

        using var key = ReadKey(path, keyBlocks[0], password);
        var publicKey = key.ExportSubjectPublicKeyInfo();
        var leaf = certificates.FirstOrDefault(c => c.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey))
            ?? throw TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}': the private key does not match the certificate ('{Rfc2253Name.Subject(certificates[0])}'). Put the key that was used to request this certificate in the file.");

        using var ephemeral = key switch
        {
            RSA rsa => leaf.CopyWithPrivateKey(rsa),
            ECDsa ec => leaf.CopyWithPrivateKey(ec),
            _ => throw new InvalidOperationException("ReadKey returns only RSA and ECDsa keys."),
        };
        return new ClientCertificate(Persistable(ephemeral), [.. certificates.Where(c => !ReferenceEquals(c, leaf))]);
    }

    private static X509Certificate2 LoadCertificate(string path, PemBlock block)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(block.Der);
        }
        catch (CryptographicException e)
        {
            throw TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}' holds a CERTIFICATE block that is not a valid X.509 certificate.", e);
        }
    }

    private static AsymmetricAlgorithm ReadKey(string path, PemBlock block, string? password)
    {
        try
        {
            return block.Label switch
            {
                "RSA PRIVATE KEY" => Import(RSA.Create(), k => k.ImportRSAPrivateKey(block.Der, out _)),
                "EC PRIVATE KEY" => Import(ECDsa.Create(), k => k.ImportECPrivateKey(block.Der, out _)),
                "PRIVATE KEY" => FromPkcs8(path, Pkcs8PrivateKeyInfo.Decode(block.Der, out _)),
                "ENCRYPTED PRIVATE KEY" => FromPkcs8(path, Decrypt(path, block.Der, password)),
                _ => throw TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}' holds a '{block.Label}' block; use PKCS#1, SEC1, PKCS#8 or encrypted PKCS#8."),
            };
        }
        catch (CryptographicException e)
        {
            throw TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}' holds a '{block.Label}' block that is not a valid key.", e);
        }
    }

    private static Pkcs8PrivateKeyInfo Decrypt(string path, byte[] der, string? password)
    {
        if (password is null)
        {
            throw TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}' holds an encrypted private key; set tlsCertificateKeyFilePassword.");
        }

        try
        {
            return Pkcs8PrivateKeyInfo.DecryptAndDecode(password.AsSpan(), der, out _);
        }
        catch (CryptographicException e)
        {
            throw TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}': the private key could not be decrypted; tlsCertificateKeyFilePassword is wrong.", e);
        }
    }

    private static AsymmetricAlgorithm FromPkcs8(string path, Pkcs8PrivateKeyInfo info)
    {
        var der = info.Encode();
        return info.AlgorithmId.Value switch
        {
            RsaOid => Import(RSA.Create(), k => k.ImportPkcs8PrivateKey(der, out _)),
            EcOid => Import(ECDsa.Create(), k => k.ImportPkcs8PrivateKey(der, out _)),
            var oid => throw TlsFiles.Error(Option, $"tlsCertificateKeyFile '{path}' holds a key of algorithm {oid}; only RSA and ECDSA keys are supported."),
        };
    }

    private static T Import<T>(T key, Action<T> import) where T : AsymmetricAlgorithm
    {
        try
        {
            import(key);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static MongoConfigurationException NoPrivateKey(string path, bool hasCertificate) => TlsFiles.Error(Option, hasCertificate
        ? $"tlsCertificateKeyFile '{path}' holds a certificate but no private key; append the key ('-----BEGIN PRIVATE KEY-----') to the file."
        : $"tlsCertificateKeyFile '{path}' holds no certificate.");

    private static X509KeyStorageFlags KeyStorage =>
        OperatingSystem.IsWindows() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;

    /// <summary>
    /// Re-imports through PKCS#12: SChannel on Windows cannot use the ephemeral key <c>CopyWithPrivateKey</c> makes,
    /// and one path for every OS keeps Linux and macOS tested the same way.
    /// </summary>
    private static X509Certificate2 Persistable(X509Certificate2 ephemeral) =>
        X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null, KeyStorage);
}
