using System.Text;

namespace MongoAuth.Authentication.Aws;

/// <summary>
/// The STS host the server names in its first message (<c>h</c>), checked and turned into the SigV4 region as the
/// MongoDB authentication specification (MONGODB-AWS, "Region Calculation") says.
/// </summary>
internal static class AwsStsHost
{
    /// <summary>The region of the global STS endpoint and of hosts without a dot.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>Why <paramref name="host"/> cannot be signed for, or null when it can: 1–255 bytes, no empty label,
    /// no leading or trailing dot.</summary>
    public static string? Problem(string host)
    {
        var length = Encoding.UTF8.GetByteCount(host);
        if (length is 0 or > 255)
        {
            return $"the STS host is {length} bytes long; it must be 1 to 255";
        }

        if (host.StartsWith('.') || host.EndsWith('.'))
        {
            return "the STS host starts or ends with a dot";
        }

        return host.Contains("..", StringComparison.Ordinal) ? "the STS host has an empty label" : null;
    }

    /// <summary>
    /// The region to sign for: <c>us-east-1</c> for a host without a dot and for the global endpoint
    /// (<c>sts.amazonaws.com</c>; the specification's pseudocode names <c>aws.amazonaws.com</c>, its examples
    /// <c>sts.amazonaws.com</c>, so both are taken), otherwise the second label (<c>sts.us-west-2.amazonaws.com</c>
    /// → <c>us-west-2</c>). Call <see cref="Problem"/> first.
    /// </summary>
    public static string Region(string host)
    {
        var labels = host.Split('.');
        if (labels.Length == 1
            || host.Equals("sts.amazonaws.com", StringComparison.OrdinalIgnoreCase)
            || host.Equals("aws.amazonaws.com", StringComparison.OrdinalIgnoreCase))
        {
            return DefaultRegion;
        }

        return labels[1];
    }
}
