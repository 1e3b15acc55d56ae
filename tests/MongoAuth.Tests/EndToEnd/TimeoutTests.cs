using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MongoAuth.Authentication;
using MongoAuth.Pooling;
using MongoAuth.TestServer;
using MongoAuth.TestServer.FailPoints;
using MongoAuth.TestServer.Tls;
using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>
/// Every step that can hang, in both modes, bounded by each timeout option: the error is a
/// <see cref="MongoOperationTimeoutException"/> naming the step and the option, and it comes within the bound plus a
/// generous margin (the point is that it ends, not how fast). A CancellationToken ends each step too.
/// </summary>
public sealed class TimeoutTests
{
    private const string Password = "pencil-sharpener-42";
    // Long enough that the steps before the one a test delays (TCP, hello on loopback) fit in it on a loaded machine.
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    private static async Task<MongoTestServer> StartServerAsync(bool speculative = true, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        var server = await MongoTestServer.StartAsync(
            new TestServerOptions { AnswerSpeculativeAuthentication = speculative, TlsCertificate = certificate }, CancellationToken.None);
        server.Users.AddScramUser("admin", "demo", Password, []);
        return server;
    }

    /// <summary>Settings left at their defaults except those a test names (and the server and credential).</summary>
    private static MongoClientSettings Settings(int port, bool credential = true) => new()
    {
        Servers = [new MongoServerAddress("127.0.0.1", port, MongoHostKind.IPv4)],
        Credential = credential ? MongoCredential.CreateScramSha256Credential("admin", "demo", Password) : null,
    };

    /// <summary>A port that accepts TCP connections (the kernel's backlog) and never reads or answers.</summary>
    private static TcpListener Silent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static async Task<MongoOperationTimeoutException> TimesOutAsync(Func<Task> operation, TimeSpan bound, string step, string option)
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<MongoOperationTimeoutException>(operation);
        watch.Stop();
        Assert.Equal(step, error.Step);
        Assert.Equal(option, error.TimeoutOption);
        Assert.Equal(bound, error.Timeout);
        Assert.Contains(step, error.Message);
        Assert.Contains($"{option} ({bound.TotalMilliseconds:0} ms)", error.Message);
        Assert.True(watch.Elapsed < bound + Margin, $"ended after {watch.Elapsed}, bound {bound}");
        return error;
    }

    [Theory, BothModes]
    public async Task A_server_that_never_answers_hello_is_bounded_by_connectTimeoutMS_with_everything_else_default(Mode mode)
    {
        using var silent = Silent();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var client = new MongoClient($"mongodb://127.0.0.1:{port}/?connectTimeoutMS=1000");

        var error = await TimesOutAsync(() => client.PingIn(mode), Short, "hello", "connectTimeoutMS");

        Assert.Equal(new MongoServerAddress("127.0.0.1", port, MongoHostKind.IPv4), error.Server);
    }

    [Theory, BothModes]
    public async Task A_server_that_never_answers_the_TLS_handshake_is_bounded_by_connectTimeoutMS(Mode mode)
    {
        using var silent = Silent();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var client = new MongoClient(Settings(port, credential: false) with { UseTls = true, ConnectTimeout = Short });

        await TimesOutAsync(() => client.PingIn(mode), Short, "TLS handshake", "connectTimeoutMS");
    }

    [Theory, BothModes]
    public async Task TLS_and_hello_share_one_connectTimeoutMS_budget(Mode mode)
    {
        using var certificate = SelfSignedCertificate.CreateForLoopback();
        await using var server = await StartServerAsync(certificate: certificate);
        // The TLS handshake succeeds, then hello waits longer than what is left of the budget.
        server.ConfigureFailPoint(new FailCommand { Commands = ["isMaster"], BlockTime = Hang });
        var settings = new MongoClientSettings
        {
            Servers = [new MongoServerAddress("localhost", server.Port)],
            UseTls = true,
            Tls = new MongoTlsSettings { TrustedRoots = [certificate] },
            ConnectTimeout = Short,
        };
        await using var client = new MongoClient(settings);

        await TimesOutAsync(() => client.PingIn(mode), Short, "hello", "connectTimeoutMS");
    }

    [Theory, BothModes]
    public async Task A_delayed_saslStart_is_bounded_by_connectTimeoutMS_and_clears_the_pool(Mode mode)
    {
        await using var server = await StartServerAsync(speculative: false);
        server.ConfigureFailPoint(new FailCommand { Commands = ["saslStart"], BlockTime = Hang });
        var cleared = 0;
        await using var client = new MongoClient(Settings(server.Port) with
        {
            ConnectTimeout = Short,
            ConnectionPoolEventHandler = e => { if (e is PoolClearedEvent) { Interlocked.Increment(ref cleared); } },
        });

        var error = await TimesOutAsync(() => client.PingIn(mode), Short, "saslStart", "connectTimeoutMS");

        // A timeout during authentication clears the pool (server-discovery-and-monitoring, handshake errors).
        Assert.Equal(1, cleared);
        Assert.Contains("127.0.0.1", error.Message);
    }

    [Theory, BothModes]
    public async Task A_delayed_saslContinue_is_bounded_by_connectTimeoutMS(Mode mode)
    {
        await using var server = await StartServerAsync();
        server.ConfigureFailPoint(new FailCommand { Commands = ["saslContinue"], BlockTime = Hang });
        await using var client = new MongoClient(Settings(server.Port) with { ConnectTimeout = Short });

        await TimesOutAsync(() => client.PingIn(mode), Short, "saslContinue 1", "connectTimeoutMS");
    }

    [Theory, BothModes]
    public async Task A_delayed_saslContinue_is_bounded_by_timeoutMS_when_it_ends_sooner(Mode mode)
    {
        await using var server = await StartServerAsync(speculative: false);
        server.ConfigureFailPoint(new FailCommand { Commands = ["saslContinue"], BlockTime = Hang });
        await using var client = new MongoClient(Settings(server.Port) with { Timeout = Short });

        await TimesOutAsync(() => client.PingIn(mode), Short, "saslContinue 1", "timeoutMS");
    }

    [Theory]
    [InlineData(Mode.Sync, "connectTimeoutMS")]
    [InlineData(Mode.Async, "connectTimeoutMS")]
    [InlineData(Mode.Sync, "timeoutMS")]
    [InlineData(Mode.Async, "timeoutMS")]
    public async Task A_CPU_bound_SASL_step_is_stopped_by_its_token_at_the_deadline(Mode mode, string option)
    {
        // Like SCRAM's key derivation with a huge iteration count: the step computes until its token fires.
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r));
        var spinning = new SpinningMechanism();
        var settings = TestSettings.For(server, register: r => r.WithMechanism(spinning.Name, (_, _) => spinning)) with
        {
            Credential = TestSettings.Credential(spinning.Name),
        };
        settings = option == "timeoutMS" ? settings with { Timeout = Short } : settings with { ConnectTimeout = Short };
        await using var client = new MongoClient(settings);

        await TimesOutAsync(() => client.PingIn(mode), Short, "SPIN client step (the first client message)", option);
        Assert.True(spinning.Stopped);
    }

    /// <summary>A mechanism whose first step spins until its cancellation token fires.</summary>
    private sealed class SpinningMechanism : ISaslMechanism
    {
        public string Name => "SPIN";

        public string Source => "admin";

        public bool Stopped { get; private set; }

        public ISaslStep CreateFirstStep(SaslConversationContext context) => new Step(this);

        private sealed class Step(SpinningMechanism owner) : ISaslStep
        {
            public ValueTask<SaslStepResult> ExecuteAsync(ReadOnlyMemory<byte> serverPayload, CancellationToken cancellationToken)
            {
                var watch = Stopwatch.StartNew();
                // Works in short slices until its token fires, as SCRAM's derivation checks its token between blocks
                // of iterations. It yields the core between slices: a pure spin on this 2-core machine delays the
                // timer that fires the token, when other tests run beside it.
                while (!cancellationToken.IsCancellationRequested && watch.Elapsed < Hang)
                {
                    Thread.SpinWait(1000);
                    Thread.Sleep(1);
                }
                owner.Stopped = cancellationToken.IsCancellationRequested;
                cancellationToken.ThrowIfCancellationRequested();
                return ValueTask.FromResult(new SaslStepResult(ReadOnlyMemory<byte>.Empty, null));
            }
        }
    }

    [Theory, BothModes]
    public async Task A_delayed_command_is_bounded_by_socketTimeoutMS_and_does_not_clear_the_pool(Mode mode)
    {
        await using var server = await StartServerAsync();
        var cleared = 0;
        await using var client = new MongoClient(Settings(server.Port) with
        {
            SocketTimeout = Short,
            ConnectionPoolEventHandler = e => { if (e is PoolClearedEvent) { Interlocked.Increment(ref cleared); } },
        });
        await client.PingIn(mode);
        server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], BlockTime = Hang, Times = 1 });

        await TimesOutAsync(() => client.PingIn(mode), Short, "ping", "socketTimeoutMS");
        var reply = await client.PingIn(mode);

        Assert.Equal(1, reply["ok"].ToInt32());
        Assert.Equal(0, cleared);
    }

    [Theory, BothModes]
    public async Task A_delayed_command_is_bounded_by_timeoutMS(Mode mode)
    {
        await using var server = await StartServerAsync();
        await using var client = new MongoClient(Settings(server.Port) with { Timeout = Short, SocketTimeout = TimeSpan.FromSeconds(30) });
        await client.PingIn(mode);
        server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], BlockTime = Hang, Times = 1 });

        await TimesOutAsync(() => client.PingIn(mode), Short, "ping", "timeoutMS");
    }

    [Theory, BothModes]
    public async Task With_timeoutMS_the_remaining_time_goes_to_the_server_as_maxTimeMS_but_not_on_hello_or_authentication(Mode mode)
    {
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r));
        var mechanism = new FakeSaslMechanism();
        await using var client = new MongoClient(TestSettings.For(server, mechanism) with { Timeout = TimeSpan.FromSeconds(20) });

        await client.PingIn(mode);

        var ping = server.Requests.Single(r => r.Name == "ping").Command;
        Assert.InRange(ping["maxTimeMS"].ToInt32(), 1, 20_000);
        Assert.All(server.Requests.Where(r => r.Name != "ping"), r => Assert.False(r.Command.Contains("maxTimeMS"), r.Name));
    }

    [Theory, BothModes]
    public async Task Without_timeoutMS_no_maxTimeMS_is_sent(Mode mode)
    {
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server, new FakeSaslMechanism()));

        await client.PingIn(mode);

        Assert.All(server.Requests, r => Assert.False(r.Command.Contains("maxTimeMS"), r.Name));
    }

    [Theory]
    [InlineData(Mode.Sync, "waitQueueTimeoutMS")]
    [InlineData(Mode.Async, "waitQueueTimeoutMS")]
    [InlineData(Mode.Sync, "serverSelectionTimeoutMS")]
    [InlineData(Mode.Async, "serverSelectionTimeoutMS")]
    public async Task The_pool_wait_is_bounded_by_the_option_that_governs_it(Mode mode, string option)
    {
        await using var server = await StartServerAsync();
        var settings = Settings(server.Port) with { MaxPoolSize = 1 };
        settings = option switch
        {
            "waitQueueTimeoutMS" => settings with { WaitQueueTimeout = Short },
            _ => settings with { ServerSelectionTimeout = Short },
        };
        await using var client = new MongoClient(settings);
        await client.PingIn(Mode.Async);
        using var release = new CancellationTokenSource();
        server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], BlockTime = TimeSpan.FromMilliseconds(2500), Times = 1 });
        var holder = client.PingIn(Mode.Async); // holds the only connection while the server blocks its ping
        await WaitUntilAsync(() => server.Statistics.CommandsReceived("ping") >= 2);

        var error = await TimesOutAsync(() => client.PingIn(mode), Short, "pool wait", option);

        // (timeoutMS bounding the pool wait is checked on the pool: end to end, the holder's own timeoutMS would end first.)
        Assert.IsType<MongoWaitQueueTimeoutException>(error);
        await holder;
    }

    [Theory]
    [InlineData(Mode.Sync, "hello")]
    [InlineData(Mode.Async, "hello")]
    [InlineData(Mode.Sync, "TLS handshake")]
    [InlineData(Mode.Async, "TLS handshake")]
    [InlineData(Mode.Sync, "saslStart")]
    [InlineData(Mode.Async, "saslStart")]
    [InlineData(Mode.Sync, "saslContinue")]
    [InlineData(Mode.Async, "saslContinue")]
    [InlineData(Mode.Sync, "ping")]
    [InlineData(Mode.Async, "ping")]
    [InlineData(Mode.Sync, "pool wait")]
    [InlineData(Mode.Async, "pool wait")]
    public async Task A_cancellation_token_ends_each_step_promptly(Mode mode, string step)
    {
        using var silent = Silent();
        await using var server = await StartServerAsync(speculative: false);
        var settings = step is "hello" or "TLS handshake"
            ? Settings(((IPEndPoint)silent.LocalEndpoint).Port, credential: false) with { UseTls = step == "TLS handshake" }
            : Settings(server.Port) with { MaxPoolSize = 1 };
        await using var client = new MongoClient(settings);
        Task? holder = null;
        switch (step)
        {
            case "saslStart" or "saslContinue":
                server.ConfigureFailPoint(new FailCommand { Commands = [step], BlockTime = Hang });
                break;
            case "ping":
                await client.PingIn(Mode.Async);
                server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], BlockTime = Hang, Times = 1 });
                break;
            case "pool wait":
                await client.PingIn(Mode.Async);
                server.ConfigureFailPoint(new FailCommand { Commands = ["ping"], BlockTime = TimeSpan.FromMilliseconds(2500), Times = 1 });
                holder = client.PingIn(Mode.Async);
                await WaitUntilAsync(() => server.Statistics.CommandsReceived("ping") >= 2);
                break;
        }
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PingIn(mode, cancel.Token));

        // All timeouts are at their defaults (10 s and more): only the token can have ended it this soon.
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(300) + Margin, $"ended after {watch.Elapsed}");
        if (holder is not null)
        {
            await holder;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // A bounded wait for the other operation to reach the server, not a timing assertion.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
