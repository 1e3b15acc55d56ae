using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MongoAuth.DependencyInjection;
using MongoAuth.TestServer;
using MongoAuth.TestServer.Authentication;
using MongoDB.Bson;

namespace MongoAuth.Tests.DependencyInjection;

/// <summary>services.AddMongoClient(...) and the health check, against the in-process test server over loopback.</summary>
public sealed class MongoClientRegistrationTests : IAsyncLifetime
{
    private const string Password = "di-registration-pw-93";
    private MongoTestServer _server = null!;

    private string Uri => $"mongodb://app:{Password}@127.0.0.1:{_server.Port}/?authSource=admin&connectTimeoutMS=3000";

    public async Task InitializeAsync()
    {
        _server = await MongoTestServer.StartAsync(new TestServerOptions(), CancellationToken.None);
        _server.Users.AddScramUser("admin", "app", Password, [new GrantedRole("readWrite", "shop")]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_connection_string_registers_one_client_that_the_container_disposes()
    {
        var services = new ServiceCollection().AddMongoClient(Uri, s => s with { MaxPoolSize = 7 });
        MongoClient client;
        await using (var provider = services.BuildServiceProvider())
        {
            client = provider.GetRequiredService<MongoClient>();
            Assert.Same(client, provider.GetRequiredService<MongoClient>());
            Assert.Equal(7, client.Settings.MaxPoolSize);
            var status = await client.GetConnectionStatusAsync();
            Assert.Equal("app@admin [readWrite@shop]", status.ToString());
        }
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetDatabase("shop").RunCommandAsync(new BsonDocument("ping", 1)));
    }

    [Fact]
    public void A_configuration_section_and_a_named_connection_string_are_read()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = Uri + "&appName=from-section",
            ["ConnectionStrings:orders"] = Uri + "&appName=from-name",
        }).Build();

        using var fromSection = new ServiceCollection().AddMongoClient(configuration.GetSection("Mongo")).BuildServiceProvider();
        using var fromName = new ServiceCollection().AddSingleton<IConfiguration>(configuration)
            .AddMongoClientFromConnectionStringName("orders").BuildServiceProvider();

        Assert.Equal("from-section", fromSection.GetRequiredService<MongoClient>().Settings.ApplicationName);
        Assert.Equal("from-name", fromName.GetRequiredService<MongoClient>().Settings.ApplicationName);
        // The synchronous API works on a container-built client too.
        var reply = fromName.GetRequiredService<MongoClient>().GetDatabase("shop").RunCommand(new BsonDocument("ping", 1));
        Assert.Equal(1, reply["ok"].ToInt32());
    }

    [Theory]
    [InlineData("mongodb://app:{pw}@127.0.0.1/?tls=true&ssl=false", "ssl")]
    [InlineData("mongodb://app:{pw}@127.0.0.1/?authMechanism=NOPE", "NOPE")]
    [InlineData("", "No MongoDB connection string is configured")]
    public void Startup_validation_names_the_problem_and_never_the_password(string uri, string expected)
    {
        var services = new ServiceCollection().AddMongoClient(o => o.ConnectionString = uri.Replace("{pw}", Password, StringComparison.Ordinal));
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_logs_through_the_containers_logger_factory_unless_the_settings_name_one()
    {
        using var containerFactory = new LoggerFactory();
        using var provider = new ServiceCollection().AddSingleton<ILoggerFactory>(containerFactory).AddMongoClient(Uri).BuildServiceProvider();
        Assert.Same(containerFactory, provider.GetRequiredService<MongoClient>().Settings.LoggerFactory);

        using var own = new ServiceCollection().AddSingleton<ILoggerFactory>(containerFactory)
            .AddMongoClient(Uri, s => s with { LoggerFactory = NullLoggerFactory.Instance }).BuildServiceProvider();
        Assert.Same(NullLoggerFactory.Instance, own.GetRequiredService<MongoClient>().Settings.LoggerFactory);
    }

    [Fact]
    public async Task The_health_check_is_healthy_when_ping_succeeds()
    {
        await using var provider = new ServiceCollection().AddLogging().AddMongoClient(Uri).AddHealthChecks().AddMongoAuth().Services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["mongodb"].Status);
    }

    [Fact]
    public async Task The_health_check_reports_the_failing_step_without_the_password()
    {
        var wrongPassword = Uri.Replace(Password, "not-the-password-71", StringComparison.Ordinal);
        await using var provider = new ServiceCollection().AddLogging().AddMongoClient(wrongPassword)
            .AddHealthChecks().AddMongoAuth(failureStatus: HealthStatus.Degraded).Services.BuildServiceProvider();

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["mongodb"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("SCRAM-SHA-256", entry.Description, StringComparison.Ordinal);
        Assert.IsAssignableFrom<MongoAuthenticationException>(entry.Exception);
        Assert.DoesNotContain("not-the-password-71", entry.Description + entry.Exception, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_check_ends_at_its_timeout_when_the_server_never_answers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var accepted = new SocketList(silent);
        await using var provider = new ServiceCollection().AddLogging()
            .AddMongoClient($"mongodb://app:{Password}@127.0.0.1:{port}/?authSource=admin")
            .AddHealthChecks().AddMongoAuth(timeout: TimeSpan.FromMilliseconds(300)).Services.BuildServiceProvider();

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["mongodb"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("within 300 ms", entry.Description, StringComparison.Ordinal);
    }

    /// <summary>Accepts connections and holds them open without ever answering.</summary>
    private sealed class SocketList : IDisposable
    {
        private readonly List<Socket> _sockets = [];
        private readonly CancellationTokenSource _stop = new();

        public SocketList(TcpListener listener) => _ = AcceptAsync(listener);

        private async Task AcceptAsync(TcpListener listener)
        {
            try
            {
                while (true)
                {
                    var socket = await listener.AcceptSocketAsync(_stop.Token);
                    lock (_sockets)
                    {
                        _sockets.Add(socket);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            lock (_sockets)
            {
                _sockets.ForEach(s => s.Dispose());
            }
            _stop.Dispose();
        }
    }
}
