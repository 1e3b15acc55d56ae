namespace MongoAuth.TestServer;

/// <summary>Standalone entry point of the test server.</summary>
public static class Program
{
    /// <summary>Runs the test server until stopped.</summary>
    public static int Main() => 0;
}
