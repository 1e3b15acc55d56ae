using MongoAuth.Tests.Support;
using MongoDB.Bson;

namespace MongoAuth.Tests.ClientApi;

public sealed class MongoClientTests
{
    [Theory, BothModes]
    public async Task RunCommandAsync_authenticates_once_then_runs_the_command_on_the_pooled_connection(Mode mode)
    {
        var mechanism = new FakeSaslMechanism();
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server, mechanism));
        var database = client.GetDatabase("app");
        var command = new BsonDocument("ping", 1);

        var first = await database.RunCommandIn(mode, command);
        var second = database.RunCommand(new BsonDocument("ping", 1));

        Assert.Equal("ping", first["echo"].AsString);
        Assert.Equal("ping", second["echo"].AsString);
        Assert.Equal(["isMaster", "saslStart", "saslContinue", "ping", "ping"], server.CommandNames);
        Assert.Equal("app", server.Requests[3].Command["$db"].AsString);
        Assert.False(command.Contains("$db"));
        Assert.Equal(1, server.ConnectionCount);
        Assert.Equal(1, mechanism.VerifiedFinalMessages);
    }

    [Theory, BothModes]
    public async Task Handshake_is_legacy_isMaster_with_helloOk_client_metadata_and_appname_on_admin(Mode mode)
    {
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server) with { ApplicationName = "inventory" });

        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));

        var hello = server.Requests[0].Command;
        Assert.Equal("isMaster", hello.GetElement(0).Name);
        Assert.True(hello["helloOk"].AsBoolean);
        Assert.Equal("admin", hello["$db"].AsString);
        Assert.Equal("inventory", hello["client"]["application"]["name"].AsString);
        Assert.Equal("MongoAuth", hello["client"]["driver"]["name"].AsString);
        Assert.False(hello.Contains("saslSupportedMechs"));
        Assert.False(hello.Contains("speculativeAuthenticate"));
    }

    [Theory, BothModes]
    public async Task LoadBalanced_uses_hello(Mode mode)
    {
        // A server behind a load balancer answers with the backend's serviceId (required in load-balanced mode).
        await using var server = new ScriptedServer(r => r.Name == "hello"
            ? ServerAction.Reply(ScriptedServer.Hello(new BsonDocument("serviceId", ObjectId.GenerateNewId())))
            : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server) with { LoadBalanced = true });

        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));

        Assert.Equal("hello", server.CommandNames[0]);
        Assert.True(server.Requests[0].Command["loadBalanced"].AsBoolean);
    }

    [Theory, BothModes]
    public async Task Speculative_authentication_folds_the_first_step_into_the_handshake(Mode mode)
    {
        var mechanism = new FakeSaslMechanism(canSpeculate: true);
        await using var server = new ScriptedServer(r => r.Name == "isMaster"
            ? ServerAction.Reply(ScriptedServer.Hello(new BsonDocument("speculativeAuthenticate", FakeSaslServer.SaslReply("s1", false))))
            : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server, mechanism));

        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));

        Assert.Equal(["isMaster", "saslContinue", "ping"], server.CommandNames);
        Assert.Equal("FAKE-SASL", server.Requests[0].Command["speculativeAuthenticate"]["mechanism"].AsString);
    }

    [Theory, BothModes]
    public async Task GetConnectionStatusAsync_reports_users_and_roles(Mode mode)
    {
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server, new FakeSaslMechanism()));

        var status = await client.GetConnectionStatusIn(mode);

        Assert.Equal(new MongoAuthenticatedUser("alice", "admin"), Assert.Single(status.AuthenticatedUsers));
        Assert.Equal(new MongoUserRole("readWrite", "app"), Assert.Single(status.AuthenticatedUserRoles));
        Assert.Equal("alice@admin [readWrite@app]", status.ToString());
    }

    [Theory, BothModes]
    public async Task Wrong_credentials_fail_with_a_message_naming_mechanism_user_and_source_and_clear_the_pool(Mode mode)
    {
        var cleared = 0;
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r, expectedFinal: "something-else"));
        var settings = TestSettings.For(server, new FakeSaslMechanism()) with
        {
            ConnectionPoolEventHandler = e => { if (e is MongoAuth.Pooling.PoolClearedEvent) { Interlocked.Increment(ref cleared); } },
        };
        await using var client = new MongoClient(settings);

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Contains("FAKE-SASL", error.Message);
        Assert.Contains("'alice'", error.Message);
        Assert.Contains("'admin'", error.Message);
        Assert.DoesNotContain("s3cr3t-pw", error.ToString());
        Assert.Equal(1, cleared);
    }

    [Theory, BothModes]
    public async Task Connection_dropped_during_saslContinue_is_discarded_and_the_next_operation_succeeds(Mode mode)
    {
        var drops = 1;
        await using var server = new ScriptedServer(r => r.Name == "saslContinue" && Interlocked.Decrement(ref drops) == 0
            ? ServerAction.Drop
            : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server, new FakeSaslMechanism()));
        var database = client.GetDatabase("app");

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => database.RunCommandIn(mode, new BsonDocument("ping", 1)));
        var reply = await database.RunCommandIn(mode, new BsonDocument("ping", 1));

        Assert.Contains("saslContinue", error.Message);
        Assert.Equal("ping", reply["echo"].AsString);
        Assert.Equal(2, server.ConnectionCount);
    }

    [Theory, BothModes]
    public async Task Code_391_reauthenticates_on_the_same_connection_and_retries_once(Mode mode)
    {
        var mechanism = new FakeSaslMechanism();
        var pings = 0;
        await using var server = new ScriptedServer(r => r.Name == "ping" && Interlocked.Increment(ref pings) == 1
            ? ServerAction.Error(391, "ReauthenticationRequired", "token expired")
            : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server, mechanism));

        var reply = await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));

        Assert.Equal("ping", reply["echo"].AsString);
        Assert.Equal(["isMaster", "saslStart", "saslContinue", "ping", "saslStart", "saslContinue", "ping"], server.CommandNames);
        Assert.Equal(1, server.ConnectionCount);
        Assert.Equal(1, mechanism.Reauthentications);
    }

    [Theory, BothModes]
    public async Task A_second_391_after_reauthentication_reaches_the_caller(Mode mode)
    {
        await using var server = new ScriptedServer(r => r.Name == "ping"
            ? ServerAction.Error(391, "ReauthenticationRequired", "token expired")
            : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server, new FakeSaslMechanism()));

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Equal(391, error.Code);
        Assert.Equal(2, server.CommandNames.Count(n => n == "ping"));
    }

    [Theory, BothModes]
    public async Task Command_errors_carry_code_and_code_name(Mode mode)
    {
        await using var server = new ScriptedServer(r => r.Name == "drop" ? ServerAction.Error(13, "Unauthorized", "not authorized on app") : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(server));

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("drop", "x")));

        Assert.Equal(13, error.Code);
        Assert.Equal("Unauthorized", error.CodeName);
        Assert.Contains("not authorized on app", error.Message);
    }

    [Theory, BothModes]
    public async Task A_host_list_is_discovered_and_writes_go_to_the_primary_not_the_unreachable_seed_or_the_secondary(Mode mode)
    {
        // Both members list both (hosts); the unreachable seed is not a member and leaves the topology.
        var hosts = new BsonArray();
        var member = new BsonDocument { { "setName", "rs" }, { "hosts", hosts } };
        await using var secondary = new ScriptedServer(r => r.Name is "isMaster" or "hello"
            ? ServerAction.Reply(ScriptedServer.Hello(new BsonDocument(member) { { "isWritablePrimary", false }, { "ismaster", false }, { "secondary", true } }))
            : FakeSaslServer.Handle(r));
        await using var primary = new ScriptedServer(r => r.Name is "isMaster" or "hello"
            ? ServerAction.Reply(ScriptedServer.Hello(member))
            : FakeSaslServer.Handle(r));
        hosts.Add(secondary.Address.ToString());
        hosts.Add(primary.Address.ToString());
        var unreachable = new MongoServerAddress("127.0.0.1", 1, MongoHostKind.IPv4);
        var settings = TestSettings.For(primary) with { Servers = [unreachable, secondary.Address, primary.Address] };
        await using var client = new MongoClient(settings);

        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));

        Assert.Contains("ping", primary.CommandNames);
        Assert.DoesNotContain("ping", secondary.CommandNames);
    }

    [Theory, BothModes]
    public async Task No_primary_in_the_host_list_fails_after_serverSelectionTimeoutMS_showing_the_topology(Mode mode)
    {
        await using var secondary = new ScriptedServer(r => ServerAction.Reply(ScriptedServer.Hello(
            new BsonDocument { { "isWritablePrimary", false }, { "ismaster", false }, { "secondary", true }, { "setName", "rs" } })));
        var unreachable = new MongoServerAddress("127.0.0.1", 1, MongoHostKind.IPv4);
        var settings = TestSettings.For(secondary) with { Servers = [unreachable, secondary.Address], ServerSelectionTimeout = TimeSpan.FromSeconds(1) };
        await using var client = new MongoClient(settings);

        var error = await Assert.ThrowsAsync<MongoServerSelectionException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));

        Assert.Contains("serverSelectionTimeoutMS (1000 ms)", error.Message);
        Assert.Contains("ReplicaSetNoPrimary (set rs)", error.Message);
        Assert.Contains("127.0.0.1:1 (Unknown: Could not connect to 127.0.0.1:1", error.Message);
        Assert.Contains($"{secondary.Address} (RSSecondary", error.Message);
        Assert.Contains("No primary is known", error.Message);
    }

    [Theory, BothModes]
    public async Task DirectConnection_uses_a_non_writable_server(Mode mode)
    {
        await using var secondary = new ScriptedServer(r => r.Name == "isMaster"
            ? ServerAction.Reply(ScriptedServer.Hello(new BsonDocument { { "isWritablePrimary", false }, { "ismaster", false } }))
            : FakeSaslServer.Handle(r));
        await using var client = new MongoClient(TestSettings.For(secondary) with { DirectConnection = true });

        var reply = await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));

        Assert.Equal("ping", reply["echo"].AsString);
    }

    [Theory, BothModes]
    public async Task Operations_after_dispose_fail(Mode mode)
    {
        await using var server = new ScriptedServer(r => FakeSaslServer.Handle(r));
        var client = new MongoClient(TestSettings.For(server));
        await client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1));

        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetDatabase("app").RunCommandIn(mode, new BsonDocument("ping", 1)));
    }
}
