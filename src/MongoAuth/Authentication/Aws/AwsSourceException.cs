namespace MongoAuth.Authentication.Aws;

/// <summary>
/// A configured credential source failed (no answer, an error status, a reply without credentials). The message says
/// what happened in words the chain's error can list, and never holds a secret, a token or a reply body.
/// </summary>
internal sealed class AwsSourceException : Exception
{
    public AwsSourceException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
