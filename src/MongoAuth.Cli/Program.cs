namespace MongoAuth.Cli;

/// <summary>Entry point of the <c>mongoauth</c> tool.</summary>
public static class Program
{
    /// <summary>Dispatches the command line.</summary>
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("mongoauth: no commands yet");
        return args.Length == 0 ? 2 : 2;
    }
}
