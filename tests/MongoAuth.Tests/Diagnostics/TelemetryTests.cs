using System.Diagnostics;
using MongoAuth.Diagnostics;
using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.Diagnostics;

/// <summary>
/// Spans and metrics against the in-process test server over TLS, read with an ActivityListener and a MeterListener:
/// the operation span and its attributes, the connection span with TLS and authentication events, failures as
/// error.type, and the operation-duration, connection-count and create-time instruments.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private const string Password = "telemetry-pass-9876";

    private TlsScramServer _server = null!;

    public async Task InitializeAsync() => _server = await TlsScramServer.StartAsync(Password);

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private MongoClientSettings Settings(string password = Password) => _server.Settings(password);

    [Theory, BothModes]
    public async Task An_operation_is_a_client_span_with_the_database_conventions_and_the_connection_span_is_its_child(Mode mode)
    {
        using var capture = new TelemetryCapture();
        await using (var client = new MongoClient(Settings()))
        {
            await client.PingIn(mode);
        }

        var operation = Assert.Single(capture.Spans, s => s.OperationName == "ping app");
        Assert.Equal(ActivityKind.Client, operation.Kind);
        Assert.Equal(capture.RootSpan.SpanId, operation.ParentSpanId);
        Assert.Equal("mongodb", operation.GetTagItem("db.system.name"));
        Assert.Equal("ping", operation.GetTagItem("db.operation.name"));
        Assert.Equal("app", operation.GetTagItem("db.namespace"));
        Assert.Null(operation.GetTagItem("db.collection.name"));
        Assert.Equal("localhost", operation.GetTagItem("server.address"));
        Assert.Equal(_server.Port, operation.GetTagItem("server.port"));
        Assert.Null(operation.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, operation.Status);

        var connect = Assert.Single(capture.Spans, s => s.OperationName == "connect");
        Assert.Equal(operation.SpanId, connect.ParentSpanId);
        Assert.Equal(ActivityKind.Client, connect.Kind);
        Assert.Equal("tcp", connect.GetTagItem("network.transport"));
        Assert.Equal(_server.Port, connect.GetTagItem("server.port"));
        Assert.Equal(["tls.handshake", "hello", "authenticated"], connect.Events.Select(e => e.Name));
        var tls = connect.Events.First().Tags.ToDictionary();
        Assert.Equal("tls", tls["tls.protocol.name"]);
        Assert.Contains(tls["tls.protocol.version"], new object[] { "1.2", "1.3" });
        Assert.StartsWith("TLS_", (string)tls["tls.cipher"]!, StringComparison.Ordinal);
        var auth = connect.Events.Last().Tags.ToDictionary();
        Assert.Equal("SCRAM-SHA-256", auth["mongoauth.auth.mechanism"]);
        Assert.Equal("admin", auth["mongoauth.auth.source"]);
        Assert.Equal(true, auth["mongoauth.auth.speculative"]);
        Assert.DoesNotContain(connect.Events.SelectMany(e => e.Tags), t => t.Value is string s && s.Contains(Password, StringComparison.Ordinal));
    }

    [Theory, BothModes]
    public async Task A_command_on_a_collection_names_it_in_the_span(Mode mode)
    {
        using var capture = new TelemetryCapture();
        await using var client = new MongoClient(Settings());

        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument { { "find", "orders" }, { "filter", new BsonDocument() } });

        var span = Assert.Single(capture.Spans, s => s.GetTagItem("db.operation.name") as string == "find");
        Assert.Equal("find orders", span.DisplayName);
        Assert.Equal("orders", span.GetTagItem("db.collection.name"));
        Assert.Equal("app", span.GetTagItem("db.namespace"));
    }

    [Theory, BothModes]
    public async Task A_refused_command_sets_error_type_and_the_status_code(Mode mode)
    {
        using var capture = new TelemetryCapture();
        await using var client = new MongoClient(Settings());

        var e = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("noSuchCommand", 1)));

        var span = Assert.Single(capture.Spans, s => s.OperationName == "noSuchCommand app");
        Assert.Equal(e.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetTagItem("error.type"));
        Assert.Equal(span.GetTagItem("error.type"), span.GetTagItem("db.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        var duration = Assert.Single(capture.Measurements("db.client.operation.duration", "server.port", _server.Port),
            m => (string?)m.Tag("db.operation.name") == "noSuchCommand");
        Assert.Equal(span.GetTagItem("error.type"), duration.Tag("error.type"));
    }

    [Theory, BothModes]
    public async Task A_failed_authentication_ends_the_connection_span_with_the_server_code_and_an_event(Mode mode)
    {
        using var capture = new TelemetryCapture();
        await using var client = new MongoClient(Settings(password: "not-the-password-555"));

        await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingIn(mode));

        var connect = Assert.Single(capture.Spans, s => s.OperationName == "connect");
        Assert.Equal("18", connect.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, connect.Status);
        var failed = connect.Events.Single(e => e.Name == "authentication failed").Tags.ToDictionary();
        Assert.Equal("SCRAM-SHA-256", failed["mongoauth.auth.mechanism"]);
        Assert.Equal("18", failed["error.type"]);
        Assert.NotNull(failed["mongoauth.auth.step"]);
        var operation = Assert.Single(capture.Spans, s => s.OperationName == "ping app");
        Assert.Equal("18", operation.GetTagItem("error.type"));
        Assert.Null(operation.GetTagItem("db.response.status_code"));
        Assert.DoesNotContain(capture.Spans.SelectMany(s => s.TagObjects.Concat(s.Events.SelectMany(e => e.Tags))),
            t => t.Value is string s && s.Contains("not-the-password-555", StringComparison.Ordinal));
    }

    [Theory, BothModes]
    public async Task Operation_duration_connection_count_and_create_time_are_measured(Mode mode)
    {
        using var capture = new TelemetryCapture();
        var pool = $"localhost:{_server.Port}";
        await using (var client = new MongoClient(Settings()))
        {
            await client.PingIn(mode);
            await client.PingIn(mode);

            var durations = capture.Measurements("db.client.operation.duration", "server.port", _server.Port);
            Assert.Equal(2, durations.Count);
            Assert.All(durations, d =>
            {
                Assert.True(d.Value > 0);
                Assert.Equal("ping", d.Tag("db.operation.name"));
                Assert.Equal("app", d.Tag("db.namespace"));
                Assert.Equal("mongodb", d.Tag("db.system.name"));
                Assert.Null(d.Tag("error.type"));
            });
            var create = Assert.Single(capture.Measurements("db.client.connection.create_time", "db.client.connection.pool.name", pool));
            Assert.True(create.Value > 0);
            // One connection, used twice and now back in the pool: idle 1, used 0.
            Assert.Equal(1, CountIn(capture, pool, "idle"));
            Assert.Equal(0, CountIn(capture, pool, "used"));
            Assert.Contains(capture.Measurements("db.client.connection.count", "db.client.connection.pool.name", pool),
                m => (string?)m.Tag("db.client.connection.state") == "used" && m.Value == 1);
        }
        // Closing the client closes the connection.
        Assert.Equal(0, CountIn(capture, pool, "idle"));
    }

    [Fact]
    public void The_target_of_a_command_document_is_its_name_and_the_collection_when_the_command_names_one()
    {
        Assert.Equal(new OperationTarget("insert", "shop", "orders"), OperationTarget.ForCommand("shop", new BsonDocument("insert", "orders")));
        Assert.Equal(new OperationTarget("getMore", "shop", "orders"),
            OperationTarget.ForCommand("shop", new BsonDocument { { "getMore", 42L }, { "collection", "orders" } }));
        Assert.Equal(new OperationTarget("aggregate", "shop", null), OperationTarget.ForCommand("shop", new BsonDocument("aggregate", 1)));
        Assert.Equal(new OperationTarget("hello", "admin", null), OperationTarget.ForCommand("admin", new BsonDocument("hello", "x")));
        Assert.Equal("ping admin", OperationTarget.ForCommand("admin", new BsonDocument("ping", 1)).SpanName);
    }

    private static double CountIn(TelemetryCapture capture, string pool, string state) =>
        capture.Measurements("db.client.connection.count", "db.client.connection.pool.name", pool)
            .Where(m => (string?)m.Tag("db.client.connection.state") == state)
            .Sum(m => m.Value);
}
