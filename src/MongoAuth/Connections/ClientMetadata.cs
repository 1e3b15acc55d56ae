using System.Reflection;
using System.Runtime.InteropServices;
using MongoDB.Bson;

namespace MongoAuth.Connections;

/// <summary>
/// The handshake's <c>client</c> document (§9): application, driver, os, platform and env, trimmed to 512 bytes of
/// BSON in the specified order (env fields but name, os fields but type, the whole env, then platform).
/// </summary>
internal static class ClientMetadata
{
    public const int MaxBytes = 512;
    public const string DriverName = "MongoAuth";

    // What the process runs on and in is detected once per process (the OS, the FaaS and container variables set when
    // it started), and the trimmed document of the last application name is kept: every client builds two connection
    // factories, and detecting anew cost about 0.1 ms of each cold connect (environment reads, a file probe, BSON
    // encodings to check the size).
    private static readonly Lazy<(BsonDocument Os, BsonDocument Env)> Host = new(() => (DetectOs(), DetectEnvironment()));
    private static Cached? s_last;

    /// <summary>
    /// The metadata for a client named <paramref name="applicationName"/>. The document is shared by the callers that
    /// ask for the same name: it is sent as it is and must not be changed.
    /// </summary>
    public static BsonDocument Create(string? applicationName)
    {
        if (Volatile.Read(ref s_last) is { } last && last.ApplicationName == applicationName)
        {
            return last.Document;
        }

        var (os, env) = Host.Value;
        var document = Create(applicationName, os, RuntimeInformation.FrameworkDescription, env);
        Volatile.Write(ref s_last, new Cached(applicationName, document));
        return document;
    }

    private sealed record Cached(string? ApplicationName, BsonDocument Document);

    public static BsonDocument Create(string? applicationName, BsonDocument os, string platform, BsonDocument env)
    {
        var document = new BsonDocument();
        if (applicationName is not null)
        {
            document["application"] = new BsonDocument("name", applicationName);
        }
        document["driver"] = new BsonDocument { { "name", DriverName }, { "version", DriverVersion } };
        document["os"] = os.DeepClone();
        document["platform"] = platform;
        if (env.ElementCount > 0)
        {
            document["env"] = env.DeepClone();
        }
        return Trim(document);
    }

    private static BsonDocument Trim(BsonDocument document)
    {
        if (Fits(document))
        {
            return document;
        }
        if (document.TryGetValue("env", out var env))
        {
            KeepOnly(env.AsBsonDocument, "name");
            if (Fits(document))
            {
                return document;
            }
        }
        KeepOnly(document["os"].AsBsonDocument, "type");
        if (Fits(document))
        {
            return document;
        }
        document.Remove("env");
        if (Fits(document))
        {
            return document;
        }
        var platform = document["platform"].AsString;
        var excess = document.ToBson().Length - MaxBytes;
        document["platform"] = platform[..Math.Max(0, platform.Length - excess)];
        while (!Fits(document) && document["platform"].AsString.Length > 0)
        {
            var p = document["platform"].AsString;
            document["platform"] = p[..^1];
        }
        return document;
    }

    private static bool Fits(BsonDocument document) => document.ToBson().Length <= MaxBytes;

    private static void KeepOnly(BsonDocument document, string name)
    {
        foreach (var element in document.Elements.Where(e => e.Name != name).ToList())
        {
            document.Remove(element.Name);
        }
    }

    internal static string DriverVersion { get; } =
        typeof(ClientMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static BsonDocument DetectOs()
    {
        var type = OperatingSystem.IsLinux() ? "Linux" : OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "Darwin" : "unknown";
        return new BsonDocument
        {
            { "type", type },
            { "name", RuntimeInformation.OSDescription },
            { "architecture", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() },
            { "version", Environment.OSVersion.Version.ToString() },
        };
    }

    private static BsonDocument DetectEnvironment()
    {
        var env = new BsonDocument();
        var faas = DetectFaas();
        if (faas is not null)
        {
            env["name"] = faas;
            if (Environment.GetEnvironmentVariable(faas == "aws.lambda" ? "AWS_REGION" : faas == "gcp.func" ? "FUNCTION_REGION" : "VERCEL_REGION") is { Length: > 0 } region)
            {
                env["region"] = region;
            }
        }
        var container = new BsonDocument();
        if (File.Exists("/.dockerenv"))
        {
            container["runtime"] = "docker";
        }
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null)
        {
            container["orchestrator"] = "kubernetes";
        }
        if (container.ElementCount > 0)
        {
            env["container"] = container;
        }
        return env;
    }

    private static string? DetectFaas()
    {
        static bool Set(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));
        var aws = (Environment.GetEnvironmentVariable("AWS_EXECUTION_ENV")?.StartsWith("AWS_Lambda_", StringComparison.Ordinal) ?? false) || Set("AWS_LAMBDA_RUNTIME_API");
        var azure = Set("FUNCTIONS_WORKER_RUNTIME");
        var gcp = Set("K_SERVICE") || Set("FUNCTION_NAME");
        var vercel = Set("VERCEL");
        return (aws, azure, gcp, vercel) switch
        {
            (_, false, false, true) => "vercel",
            (true, false, false, false) => "aws.lambda",
            (false, true, false, false) => "azure.func",
            (false, false, true, false) => "gcp.func",
            _ => null,
        };
    }
}
