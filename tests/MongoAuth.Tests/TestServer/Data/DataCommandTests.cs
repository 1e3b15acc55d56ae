using MongoAuth.TestServer;
using MongoAuth.Wire;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer.Data;

/// <summary>The data commands over the wire, byte for byte as a driver sees them: reply shapes and error codes.</summary>
public sealed class DataCommandTests
{
    private static Task<MongoTestServer> StartAsync() =>
        MongoTestServer.StartAsync(new TestServerOptions { RequireAuthentication = false }, default);

    private static BsonDocument Doc(string json) => BsonDocument.Parse(json);

    private static Task<BsonDocument> RunAsync(RawClient client, string command) => client.CommandAsync(Doc(command), "app");

    private static void AssertError(BsonDocument reply, int code, string codeName, string message)
    {
        Assert.Equal(0.0, reply["ok"].ToDouble());
        Assert.Equal((code, codeName), (reply["code"].AsInt32, reply["codeName"].AsString));
        Assert.StartsWith(message, reply["errmsg"].AsString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insert_takes_documents_from_a_document_sequence_and_generates_missing_ids_first()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument("insert", "people"), "app",
            [new DocumentSequence("documents", [Doc("{name: 'Ada'}"), Doc("{name: 'Grace', _id: 7}")])]);
        var found = await RunAsync(client, "{find: 'people'}");

        Assert.Equal(Doc("{n: 1, ok: 1.0}").Set("n", 2), reply);
        var batch = found["cursor"]["firstBatch"].AsBsonArray.Select(d => d.AsBsonDocument).ToList();
        Assert.Equal(["_id", "name"], batch[0].Names);
        Assert.Equal(BsonType.ObjectId, batch[0]["_id"].BsonType);
        Assert.Equal(Doc("{_id: 7, name: 'Grace'}"), batch[1]); // _id moved to the front, as mongod stores it
    }

    [Fact]
    public async Task Every_connection_sees_the_same_store()
    {
        await using var server = await StartAsync();
        await using var first = await RawClient.ConnectAsync(server);
        await using var second = await RawClient.ConnectAsync(server);

        await RunAsync(first, "{insert: 'c', documents: [{_id: 1}]}");
        var found = await RunAsync(second, "{find: 'c'}");

        Assert.Equal(Doc("{_id: 1}"), found["cursor"]["firstBatch"][0]);
    }

    [Theory]
    [InlineData(true, 2, "[{_id: 1}, {_id: 2}]")]
    [InlineData(false, 3, "[{_id: 1}, {_id: 2}, {_id: 3}]")]
    public async Task A_duplicate_key_is_a_write_error_that_ends_only_an_ordered_batch(bool ordered, int n, string stored)
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await client.CommandAsync(new BsonDocument { { "insert", "c" }, { "ordered", ordered },
            { "documents", Doc("{d: [{_id: 1}, {_id: 2}, {_id: 1}, {_id: 3}]}")["d"] } }, "app");
        var found = await RunAsync(client, "{find: 'c'}");

        Assert.Equal(n, reply["n"].AsInt32);
        Assert.Equal(1.0, reply["ok"].ToDouble());
        Assert.Equal(new BsonDocument
        {
            { "index", 2 },
            { "code", 11000 },
            { "keyPattern", Doc("{_id: 1}") },
            { "keyValue", Doc("{_id: 1}") },
            { "errmsg", "E11000 duplicate key error collection: app.c index: _id_ dup key: { _id: 1 }" },
        }, Assert.Single(reply["writeErrors"].AsBsonArray));
        Assert.Equal(Doc($"{{s: {stored}}}")["s"], found["cursor"]["firstBatch"]);
    }

    [Fact]
    public async Task Find_opens_a_cursor_that_getMore_drains_and_closes()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1}, {_id: 2}, {_id: 3}, {_id: 4}, {_id: 5}]}");

        var first = await RunAsync(client, "{find: 'c', filter: {_id: {$gt: 1}}, batchSize: 2}");
        var id = first["cursor"]["id"];
        var next = await client.CommandAsync(new BsonDocument { { "getMore", id }, { "collection", "c" }, { "batchSize", 1 } }, "app");
        var last = await client.CommandAsync(new BsonDocument { { "getMore", id }, { "collection", "c" } }, "app");
        var gone = await client.CommandAsync(new BsonDocument { { "getMore", id }, { "collection", "c" } }, "app");

        Assert.Equal(["firstBatch", "id", "ns"], first["cursor"].AsBsonDocument.Names);
        Assert.Equal(BsonType.Int64, id.BsonType);
        Assert.NotEqual(0L, id.AsInt64);
        Assert.Equal("app.c", first["cursor"]["ns"].AsString);
        Assert.Equal(Doc("{b: [{_id: 2}, {_id: 3}]}")["b"], first["cursor"]["firstBatch"]);
        Assert.Equal(new BsonDocument { { "nextBatch", Doc("{b: [{_id: 4}]}")["b"] }, { "id", id }, { "ns", "app.c" } }, next["cursor"]);
        Assert.Equal(new BsonDocument { { "nextBatch", Doc("{b: [{_id: 5}]}")["b"] }, { "id", 0L }, { "ns", "app.c" } }, last["cursor"]);
        AssertError(gone, 43, "CursorNotFound", $"cursor id {id.AsInt64} not found");
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Fact]
    public async Task A_cursor_belongs_to_its_namespace_and_killCursors_reports_each_id()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1}, {_id: 2}, {_id: 3}]}");
        var id = (await RunAsync(client, "{find: 'c', batchSize: 1}"))["cursor"]["id"].AsInt64;

        var wrong = await client.CommandAsync(new BsonDocument { { "getMore", id }, { "collection", "other" } }, "app");
        var killed = await client.CommandAsync(new BsonDocument { { "killCursors", "c" }, { "cursors", new BsonArray { id, 12345L } } }, "app");

        AssertError(wrong, 13, "Unauthorized", "Requested getMore on namespace 'app.other', but cursor belongs to a different namespace app.c");
        Assert.Equal(new BsonDocument
        {
            { "cursorsKilled", new BsonArray { id } },
            { "cursorsNotFound", new BsonArray { 12345L } },
            { "cursorsAlive", new BsonArray() },
            { "cursorsUnknown", new BsonArray() },
            { "ok", 1.0 },
        }, killed);
        Assert.Equal(0, server.OpenCursorCount);
    }

    [Theory]
    [InlineData("{find: 'c', singleBatch: true, batchSize: 1}", 1)]
    [InlineData("{find: 'c', limit: 2}", 2)]
    [InlineData("{find: 'c', batchSize: 0}", 0)]
    public async Task SingleBatch_and_limit_close_the_cursor_at_once(string find, int expected)
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1}, {_id: 2}, {_id: 3}]}");

        var reply = await RunAsync(client, find);

        Assert.Equal(expected, reply["cursor"]["firstBatch"].AsBsonArray.Count);
        // batchSize 0 asks for an empty first batch and leaves the cursor open for getMore.
        Assert.Equal(expected == 0, reply["cursor"]["id"].AsInt64 != 0);
    }

    [Fact]
    public async Task Update_reports_n_nModified_and_upserted_ids()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1, a: 1}, {_id: 2, a: 1}]}");

        var reply = await RunAsync(client, """
            {update: 'c', updates: [
              {q: {a: 1}, u: {$set: {b: 1}}, multi: true},
              {q: {_id: 1}, u: {$set: {b: 1}}},
              {q: {_id: 9}, u: {$set: {b: 2}}, upsert: true},
              {q: {a: 1}, u: {x: 1}, multi: true}]}
            """);

        Assert.Equal(4, reply["n"].AsInt32); // 2 + 1 matched + 1 upserted
        Assert.Equal(2, reply["nModified"].AsInt32);
        Assert.Equal(Doc("{u: [{index: 2, _id: 9}]}")["u"], reply["upserted"]);
        var error = Assert.Single(reply["writeErrors"].AsBsonArray);
        Assert.Equal((3, 9), (error["index"].AsInt32, error["code"].AsInt32));
        Assert.Equal(Doc("{_id: 9, b: 2}"), (await RunAsync(client, "{find: 'c', filter: {_id: 9}}"))["cursor"]["firstBatch"][0]);
    }

    [Fact]
    public async Task Delete_honours_limit_one_and_zero()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1, a: 1}, {_id: 2, a: 1}, {_id: 3, a: 1}, {_id: 4}]}");

        var reply = await RunAsync(client, "{delete: 'c', deletes: [{q: {a: 1}, limit: 1}, {q: {a: 1}, limit: 0}]}");
        var count = await RunAsync(client, "{count: 'c'}");

        Assert.Equal(Doc("{n: 3, ok: 1.0}"), reply);
        Assert.Equal(Doc("{n: 1, ok: 1.0}"), count);
    }

    [Fact]
    public async Task FindAndModify_reports_lastErrorObject_and_value()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1, n: 1}, {_id: 2, n: 5}]}");

        var updated = await RunAsync(client, "{findAndModify: 'c', query: {}, sort: {n: -1}, update: {$inc: {n: 1}}, new: true}");
        var upserted = await RunAsync(client, "{findAndModify: 'c', query: {_id: 3}, update: {$set: {n: 0}}, upsert: true}");
        var removed = await RunAsync(client, "{findAndModify: 'c', query: {_id: 1}, remove: true, fields: {_id: 1}}");
        var both = await RunAsync(client, "{findAndModify: 'c', query: {}, remove: true, update: {$set: {a: 1}}}");

        Assert.Equal(Doc("{lastErrorObject: {n: 1, updatedExisting: true}, value: {_id: 2, n: 6}, ok: 1.0}"), updated);
        Assert.Equal(Doc("{lastErrorObject: {n: 1, updatedExisting: false, upserted: 3}, value: null, ok: 1.0}"), upserted);
        Assert.Equal(Doc("{lastErrorObject: {n: 1}, value: {_id: 1}, ok: 1.0}"), removed);
        AssertError(both, 9, "FailedToParse", "Cannot specify both an update and remove=true");
    }

    [Fact]
    public async Task Count_distinct_and_aggregate_answer_in_mongods_shapes()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1, t: ['a', 'b']}, {_id: 2, t: 'b'}, {_id: 3}, {_id: 4, t: null}]}");

        var count = await RunAsync(client, "{count: 'c', query: {t: 'b'}}");
        var distinct = await RunAsync(client, "{distinct: 'c', key: 't'}");
        var aggregate = await RunAsync(client, "{aggregate: 'c', pipeline: [{$match: {_id: {$lte: 2}}}, {$project: {_id: 1}}], cursor: {}}");
        var noCursor = await RunAsync(client, "{aggregate: 'c', pipeline: []}");
        var badStage = await RunAsync(client, "{aggregate: 'c', pipeline: [{$nope: 1}], cursor: {}}");

        Assert.Equal(Doc("{n: 2, ok: 1.0}"), count);
        Assert.Equal(Doc("{values: ['a', 'b', null], ok: 1.0}"), distinct);
        Assert.Equal(Doc("{cursor: {firstBatch: [{_id: 1}, {_id: 2}], id: NumberLong(0), ns: 'app.c'}, ok: 1.0}"), aggregate);
        AssertError(noCursor, 9, "FailedToParse", "The 'cursor' option is required, except for aggregate with the explain argument");
        AssertError(badStage, 40324, "Location40324", "Unrecognized pipeline stage name: '$nope'");
    }

    [Fact]
    public async Task Indexes_are_created_listed_and_dropped_with_mongods_replies()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var created = await RunAsync(client, "{createIndexes: 'c', indexes: [{key: {a: 1, b: -1}, name: 'a_1_b_-1', unique: true}]}");
        var again = await RunAsync(client, "{createIndexes: 'c', indexes: [{key: {a: 1, b: -1}, name: 'a_1_b_-1', unique: true}]}");
        var sameName = await RunAsync(client, "{createIndexes: 'c', indexes: [{key: {z: 1}, name: 'a_1_b_-1'}]}");
        var sameKey = await RunAsync(client, "{createIndexes: 'c', indexes: [{key: {a: 1, b: -1}, name: 'other', unique: true}]}");
        var insert = await RunAsync(client, "{insert: 'c', ordered: false, documents: [{_id: 1, a: 1, b: 2}, {_id: 2, a: 1, b: 2}, {_id: 3, a: 1}, {_id: 4, a: 1}]}");
        var list = await RunAsync(client, "{listIndexes: 'c'}");
        var dropId = await RunAsync(client, "{dropIndexes: 'c', index: '_id_'}");
        var dropMissing = await RunAsync(client, "{dropIndexes: 'c', index: 'nope'}");
        var dropped = await RunAsync(client, "{dropIndexes: 'c', index: 'a_1_b_-1'}");
        var listMissing = await RunAsync(client, "{listIndexes: 'nothing'}");

        Assert.Equal(Doc("{numIndexesBefore: 1, numIndexesAfter: 2, createdCollectionAutomatically: true, ok: 1.0}"), created);
        Assert.Equal(Doc("{numIndexesBefore: 2, numIndexesAfter: 2, note: 'all indexes already exist', ok: 1.0}"), again);
        AssertError(sameName, 86, "IndexKeySpecsConflict", "An existing index has the same name as the requested index.");
        AssertError(sameKey, 85, "IndexOptionsConflict", "Index already exists with a different name: a_1_b_-1");
        // {_id: 4, a: 1} has the same key as {_id: 3, a: 1}: a missing b indexes as null.
        Assert.Equal(Doc("{e: [{index: 1}, {index: 3}]}")["e"],
            new BsonArray(insert["writeErrors"].AsBsonArray.Select(e => new BsonDocument("index", e["index"]))));
        Assert.Equal(Doc("{firstBatch: [{v: 2, key: {_id: 1}, name: '_id_'}, {v: 2, key: {a: 1, b: -1}, name: 'a_1_b_-1', unique: true}], id: NumberLong(0), ns: 'app.$cmd.listIndexes.c'}"),
            list["cursor"]);
        AssertError(dropId, 72, "InvalidOptions", "cannot drop _id index");
        AssertError(dropMissing, 27, "IndexNotFound", "index not found with name [nope]");
        Assert.Equal(Doc("{nIndexesWas: 2, ok: 1.0}"), dropped);
        AssertError(listMissing, 26, "NamespaceNotFound", "ns does not exist: app.nothing");
    }

    [Fact]
    public async Task A_unique_index_over_duplicates_is_refused_and_updates_respect_it()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1, e: 'x'}, {_id: 2, e: 'x'}, {_id: 3, e: 'y'}]}");

        var refused = await RunAsync(client, "{createIndexes: 'c', indexes: [{key: {e: 1}, name: 'e_1', unique: true}]}");
        await RunAsync(client, "{delete: 'c', deletes: [{q: {_id: 2}, limit: 1}]}");
        var created = await RunAsync(client, "{createIndexes: 'c', indexes: [{key: {e: 1}, name: 'e_1', unique: true}]}");
        var update = await RunAsync(client, "{update: 'c', updates: [{q: {_id: 3}, u: {$set: {e: 'x'}}}]}");

        AssertError(refused, 11000, "DuplicateKey", "E11000 duplicate key error collection: app.c index: e_1 dup key: { e: \"x\" }");
        Assert.Equal(1.0, created["ok"].ToDouble());
        Assert.Equal((0, 11000), (update["nModified"].AsInt32, update["writeErrors"][0]["code"].AsInt32));
    }

    [Fact]
    public async Task Collections_are_created_listed_and_dropped_with_mongods_replies()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var create = await RunAsync(client, "{create: 'b'}");
        var exists = await RunAsync(client, "{create: 'b'}");
        await RunAsync(client, "{insert: 'a', documents: [{}]}");
        var list = await RunAsync(client, "{listCollections: 1}");
        var names = await RunAsync(client, "{listCollections: 1, nameOnly: true, filter: {name: 'a'}}");
        var drop = await RunAsync(client, "{drop: 'a'}");
        var dropMissing = await RunAsync(client, "{drop: 'a'}");
        var dropDatabase = await RunAsync(client, "{dropDatabase: 1}");
        var after = await RunAsync(client, "{listCollections: 1}");

        Assert.Equal(Doc("{ok: 1.0}"), create);
        AssertError(exists, 48, "NamespaceExists", "Collection app.b already exists.");
        var entries = list["cursor"]["firstBatch"].AsBsonArray;
        Assert.Equal(["a", "b"], entries.Select(e => e["name"].AsString));
        Assert.Equal(["name", "type", "options", "info", "idIndex"], entries[0].AsBsonDocument.Names);
        Assert.Equal(BsonBinarySubType.UuidStandard, entries[0]["info"]["uuid"].AsBsonBinaryData.SubType);
        Assert.Equal("app.$cmd.listCollections", list["cursor"]["ns"].AsString);
        Assert.Equal(Doc("{f: [{name: 'a', type: 'collection'}]}")["f"], names["cursor"]["firstBatch"]);
        Assert.Equal(Doc("{nIndexesWas: 1, ns: 'app.a', ok: 1.0}"), drop);
        Assert.Equal(Doc("{ok: 1.0}"), dropMissing); // MongoDB 7.0 and later: no NamespaceNotFound
        Assert.Equal(Doc("{dropped: 'app', ok: 1.0}"), dropDatabase);
        Assert.Empty(after["cursor"]["firstBatch"].AsBsonArray);
    }

    [Fact]
    public async Task ListDatabases_runs_on_admin_and_reports_sizes()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1}]}");

        var full = await client.CommandAsync(Doc("{listDatabases: 1}"));
        var names = await client.CommandAsync(Doc("{listDatabases: 1, nameOnly: true}"));
        var elsewhere = await RunAsync(client, "{listDatabases: 1}");

        var app = Assert.Single(full["databases"].AsBsonArray).AsBsonDocument;
        Assert.Equal(["name", "sizeOnDisk", "empty"], app.Names);
        Assert.True(app["sizeOnDisk"].AsInt64 > 0);
        Assert.True(full.Contains("totalSize"));
        Assert.Equal(Doc("{databases: [{name: 'app'}], ok: 1.0}"), names);
        AssertError(elsewhere, 13, "Unauthorized", "listDatabases may only be run against the admin database.");
    }

    [Theory]
    [InlineData("{find: 'c', filter: {$where: 'true'}}", 115, "CommandNotSupported")]
    [InlineData("{find: 'c', filter: {$bogus: 1}}", 2, "BadValue")]
    [InlineData("{find: 'c', skip: -1}", 51024, "Location51024")]
    [InlineData("{find: 'c', projection: {a: 1, b: 0}}", 31254, "Location31254")]
    [InlineData("{find: 5}", 73, "InvalidNamespace")]
    [InlineData("{update: 'c', updates: [{q: {}, u: {$set: {a: 1}}, arrayFilters: []}]}", 0, "")]
    [InlineData("{insert: 'c'}", 40414, "Location40414")]
    public async Task Malformed_commands_fail_with_mongods_codes(string command, int code, string codeName)
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await RunAsync(client, command);

        if (code == 0)
        {
            // A failure inside a write batch is a write error, not a command error.
            Assert.Equal(115, reply["writeErrors"][0]["code"].AsInt32);
            return;
        }

        Assert.Equal((0.0, code, codeName), (reply["ok"].ToDouble(), reply["code"].AsInt32, reply["codeName"].AsString));
    }

    [Fact]
    public async Task Transaction_numbers_are_refused_as_a_standalone_mongod_refuses_them()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        var reply = await RunAsync(client, "{insert: 'c', documents: [{_id: 1}], lsid: {id: UUID('00000000-0000-4000-8000-000000000000')}, txnNumber: NumberLong(1)}");
        var plain = await RunAsync(client, "{insert: 'c', documents: [{_id: 1}], lsid: {id: UUID('00000000-0000-4000-8000-000000000000')}}");

        AssertError(reply, 20, "IllegalOperation", "Transaction numbers are only allowed on a replica set member or mongos");
        Assert.Equal(Doc("{n: 1, ok: 1.0}"), plain); // lsid alone (implicit sessions) is accepted and ignored
    }

    [Fact]
    public async Task A_delete_limit_other_than_0_or_1_fails_the_whole_command()
    {
        await using var server = await StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await RunAsync(client, "{insert: 'c', documents: [{_id: 1}, {_id: 2}]}");

        var reply = await RunAsync(client, "{delete: 'c', deletes: [{q: {_id: 1}, limit: 1}, {q: {}, limit: 2}]}");
        var count = await RunAsync(client, "{count: 'c'}");

        AssertError(reply, 9, "FailedToParse", "The limit field in delete objects must be 0 or 1. Got 2");
        Assert.Equal(2, count["n"].AsInt32); // nothing ran, not even the valid first statement
    }

    [Fact]
    public async Task Concurrent_connections_write_to_one_store_without_losing_documents()
    {
        await using var server = await StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RawClient.ConnectAsync(server)));

        await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var id = (c * 100) + i;
                await client.CommandAsync(new BsonDocument { { "insert", "c" }, { "documents", new BsonArray { new BsonDocument("_id", id) } } }, "app");
                await client.CommandAsync(new BsonDocument { { "update", "c" }, { "updates", new BsonArray
                {
                    BsonDocument.Parse("{q: {_id: 'counter'}, u: {$inc: {n: 1}}, upsert: true}"),
                } } }, "app");
            }
        })));
        var count = await RunAsync(clients[0], "{count: 'c'}");
        var counter = await RunAsync(clients[0], "{find: 'c', filter: {_id: 'counter'}}");
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        Assert.Equal(201, count["n"].AsInt32); // 200 documents and the counter
        Assert.Equal(200, counter["cursor"]["firstBatch"][0]["n"].AsInt32); // one upsert, 199 increments, none lost
    }
}
