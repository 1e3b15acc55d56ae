// The official Node.js driver (npm `mongodb`) as a reference client of MongoAuth.TestServer.
// Reads {"scenarios": [{"name", "uri", "options"?, "commands": [{...}], "db"?}]} as JSON on stdin, runs every
// scenario with its own MongoClient (connect, then each command in order on `db`, default admin) and prints one
// JSON line: [{"name", "results": [{"reply"} | {"error"}]} | {"name", "error"}], in canonical Extended JSON so that
// the C# side sees the BSON types the driver received. Errors keep what the driver reports: name, code, codeName,
// message. The script itself never fails a scenario; the xunit tests decide.
'use strict';

const { MongoClient, BSON } = require('mongodb');

function describe(error) {
  return {
    name: error && error.name,
    // Number(): with promoteValues: false a server error's code may arrive as a BSON Int32 object.
    code: error && error.code != null && !Number.isNaN(Number(error.code)) ? Number(error.code) : null,
    codeName: (error && error.codeName) || null,
    message: String((error && error.message) || error),
    cause: error && error.cause ? String(error.cause.message || error.cause) : null,
  };
}

async function runScenario(scenario) {
  const options = Object.assign({ serverSelectionTimeoutMS: 10000, connectTimeoutMS: 10000 },
    BSON.EJSON.deserialize(scenario.options || {}, { relaxed: true }));
  const client = new MongoClient(scenario.uri, options);
  const results = [];
  try {
    await client.connect();
    const db = client.db(scenario.db || 'admin');
    for (const command of scenario.commands || []) {
      try {
        // promoteValues: false keeps the BSON types of the reply (an int64 stays an int64), as the C# side compares them.
        const reply = await db.command(BSON.EJSON.deserialize(command, { relaxed: false }), { promoteValues: false });
        results.push({ reply });
      } catch (error) {
        results.push({ error: describe(error) });
      }
    }
    return { name: scenario.name, results };
  } catch (error) {
    return { name: scenario.name, error: describe(error), results };
  } finally {
    await client.close().catch(() => {});
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const outcomes = [];
  // One at a time: the GSSAPI scenarios share one ticket cache and the machine has few cores.
  for (const scenario of input.scenarios) outcomes.push(await runScenario(scenario));
  process.stdout.write(BSON.EJSON.stringify(outcomes, { relaxed: false }) + '\n');
}

main().catch(error => {
  process.stderr.write(`reference.js failed: ${error && error.stack || error}\n`);
  process.exit(1);
});
