namespace MongoAuth.ConnectionStrings;

/// <summary>A problem in a connection string that did not stop parsing (unknown, invalid, empty, repeated or
/// deprecated option). Also logged as a warning. Never contains a secret.</summary>
/// <param name="OptionName">The option as written in the string (or its canonical name).</param>
/// <param name="Message">What is wrong and what the parser did about it.</param>
public sealed record ConnectionStringWarning(string OptionName, string Message)
{
    /// <summary>The option and the message.</summary>
    public override string ToString() => $"{OptionName}: {Message}";
}
