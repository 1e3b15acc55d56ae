namespace MongoAuth.Connections.Tls;

/// <summary>Reading the files TLS options name, with errors that name the option and the file.</summary>
internal static class TlsFiles
{
    /// <summary>The file's text.</summary>
    /// <exception cref="MongoConfigurationException">The file is missing or cannot be read.</exception>
    public static string ReadText(string path, string option) => Read(path, option, File.ReadAllText);

    /// <summary>The file's bytes.</summary>
    /// <exception cref="MongoConfigurationException">The file is missing or cannot be read.</exception>
    public static byte[] ReadBytes(string path, string option) => Read(path, option, File.ReadAllBytes);

    /// <summary>A configuration error about <paramref name="option"/>.</summary>
    public static MongoConfigurationException Error(string option, string message, Exception? inner = null) =>
        new(message, inner) { OptionName = option };

    private static T Read<T>(string path, string option, Func<string, T> read)
    {
        // Settings validation refuses these first; checked again here because File.Exists answers false for them and
        // Path.GetFullPath then throws an ArgumentException instead of the configuration error.
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw Error(option, $"{option} is empty or has a NUL character; give the path of a file.");
        }

        if (!File.Exists(path))
        {
            throw Error(option, $"{option} '{path}' does not exist (resolved to '{Path.GetFullPath(path)}').");
        }

        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Error(option, $"{option} '{path}' cannot be read: {e.Message}", e);
        }
    }
}
