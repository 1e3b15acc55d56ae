namespace MongoAuth.Diagnostics;

/// <summary>
/// Makes sure a connection string's warnings (a misspelled <c>tlss=true</c> above all, which would silently leave TLS
/// off) reach someone when a client is built: its logger factory at Warning (event 1) when they were not logged to that
/// factory while parsing — the case of a factory attached afterwards, as dependency injection does — and otherwise,
/// with no logger at all, <see cref="System.Diagnostics.Trace"/> (a debugger's output, or any trace listener the
/// application configured). <c>mongoauth check</c> prints them too.
/// </summary>
internal static class ConnectionStringWarningLog
{
    public static void Write(MongoClientSettings settings)
    {
        if (settings.ConnectionStringWarnings.Count == 0)
        {
            return;
        }
        if (settings.LoggerFactory is { } factory)
        {
            if (!ReferenceEquals(factory, settings.ConnectionStringWarningsLoggedTo))
            {
                var logger = factory.CreateLogger("MongoAuth.ConnectionString");
                foreach (var warning in settings.ConnectionStringWarnings)
                {
                    Log.ConnectionStringWarning(logger, warning.Message);
                }
            }
            return;
        }
        foreach (var warning in settings.ConnectionStringWarnings)
        {
            System.Diagnostics.Trace.TraceWarning("MongoAuth connection string: {0}", warning.Message);
        }
    }
}
