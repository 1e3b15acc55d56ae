using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace MongoAuth.Tests.Reference;

/// <summary>One MongoClient session of the Node.js driver: connect to <paramref name="Uri"/>, run the commands on admin.</summary>
/// <param name="Name">The key of the outcome.</param>
/// <param name="Uri">The connection string as Node.js reads it.</param>
/// <param name="Commands">Run in order after connecting.</param>
/// <param name="Options">MongoClient options (e.g. <c>{serverApi: {version: "1"}}</c>, <c>tlsCAFile</c>).</param>
internal sealed record NodeScenario(string Name, string Uri, BsonDocument[] Commands, BsonDocument? Options = null);

/// <summary>
/// The official Node.js driver (npm <c>mongodb</c>, installed in tests/node by tests/node/install.sh, which test.sh
/// runs) as a second reference client: one <c>node reference.js</c> process runs a batch of scenarios and prints
/// what the driver saw as canonical Extended JSON. A missing install fails the test and says how to install it.
/// </summary>
internal static class NodeDriver
{
    /// <summary>Upper bound for one batch, so a hang fails the test instead of blocking the suite.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>tests/node of this checkout, found from the test assembly's folder upwards.</summary>
    public static string Directory { get; } = FindDirectory();

    /// <summary>Runs <paramref name="scenarios"/> in one Node.js process.</summary>
    public static async Task<NodeRun> RunAsync(params NodeScenario[] scenarios)
    {
        var input = new BsonDocument("scenarios", new BsonArray(scenarios.Select(s => new BsonDocument
        {
            { "name", s.Name },
            { "uri", s.Uri },
            { "options", s.Options ?? [] },
            { "commands", new BsonArray(s.Commands) },
        })));
        var (output, errors) = await RunScriptAsync("reference.js", "mongodb", input);
        var outcomes = BsonDocument.Parse("{\"outcomes\": " + output + "}")["outcomes"].AsBsonArray;
        return new NodeRun(outcomes.Select(o => o.AsBsonDocument).ToDictionary(o => o["name"].AsString), output, errors);
    }

    /// <summary>
    /// Runs a one-shot script of tests/node: <paramref name="input"/> as Extended JSON on stdin, stdout and stderr
    /// back once it exits 0. A hang past the limit kills it; another exit code fails with both streams.
    /// </summary>
    public static async Task<(string Output, string Errors)> RunScriptAsync(string script, string requiredModule, BsonDocument input,
        JsonOutputMode mode = JsonOutputMode.CanonicalExtendedJson, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(script, requiredModule, environment);
        using var limit = new CancellationTokenSource(Limit);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        await process.StandardInput.WriteAsync(input.ToJson(new JsonWriterSettings { OutputMode = mode }));
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {Limit}.");
        }

        var output = await stdout;
        var errors = await stderr;
        return process.ExitCode == 0
            ? (output, errors)
            : throw new InvalidOperationException($"node {script} exited with {process.ExitCode}.\nstdout: {output}\nstderr: {errors}");
    }

    /// <summary>
    /// Starts <c>node <paramref name="script"/></c> in tests/node with every stream redirected, for scripts that talk
    /// back and forth. <paramref name="requiredModule"/> (a folder of node_modules) must be installed; a missing
    /// install fails and says how to install it. <paramref name="environment"/> changes only the child's variables
    /// (a null value removes one).
    /// </summary>
    public static Process Start(string script, string requiredModule, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (!File.Exists(Path.Combine(Directory, "node_modules", requiredModule, "package.json")))
        {
            throw new InvalidOperationException(
                $"The Node.js reference client is not installed in {Directory}: run tests/node/install.sh (./test.sh does).");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("MONGOAUTH_NODE") ?? "node")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
    }

    private static string FindDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "node");
            if (File.Exists(Path.Combine(candidate, "reference.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/node/reference.js was not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>What Node.js saw for each scenario of one batch; assertions quote the whole output on failure.</summary>
internal sealed class NodeRun(IReadOnlyDictionary<string, BsonDocument> outcomes, string stdout, string stderr)
{
    /// <summary>The raw output, for failure messages.</summary>
    public string Describe() => $"Node.js saw: {stdout}\nstderr: {stderr}";

    /// <summary>The reply to command <paramref name="index"/> of <paramref name="scenario"/>; fails if it errored.</summary>
    public BsonDocument Reply(string scenario, int index = 0)
    {
        var result = Result(scenario, index);
        Assert.True(result.Contains("reply"), $"Node.js got an error for {scenario}[{index}]. {Describe()}");
        return result["reply"].AsBsonDocument;
    }

    /// <summary>
    /// The error of <paramref name="scenario"/>: of connecting/authenticating when <paramref name="index"/> is null,
    /// else of that command. Fails if there was none.
    /// </summary>
    public BsonDocument Error(string scenario, int? index = null)
    {
        var outcome = Outcome(scenario);
        var error = index is null ? outcome.GetValue("error", BsonNull.Value) : Result(scenario, index.Value).GetValue("error", BsonNull.Value);
        Assert.True(error.IsBsonDocument, $"Node.js expected an error for {scenario}{(index is null ? "" : $"[{index}]")}. {Describe()}");
        return error.AsBsonDocument;
    }

    /// <summary>The <c>authInfo</c> of the connectionStatus reply at <paramref name="index"/>.</summary>
    public BsonDocument AuthInfo(string scenario, int index = 0) => Reply(scenario, index)["authInfo"].AsBsonDocument;

    private BsonDocument Outcome(string scenario)
    {
        Assert.True(outcomes.TryGetValue(scenario, out var outcome), $"No outcome for {scenario}. {Describe()}");
        return outcome!;
    }

    private BsonDocument Result(string scenario, int index)
    {
        var outcome = Outcome(scenario);
        Assert.False(outcome.Contains("error"), $"Node.js failed to connect or authenticate for {scenario}. {Describe()}");
        var results = outcome["results"].AsBsonArray;
        Assert.True(index < results.Count, $"Node.js has no result {index} for {scenario}. {Describe()}");
        return results[index].AsBsonDocument;
    }
}
