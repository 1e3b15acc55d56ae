// The official Node.js driver (npm `mongodb` with `@aws-sdk/credential-providers`) as the MONGODB-AWS reference client
// of MongoAuth.TestServer. The AWS credentials come from this process's environment, which the C# test sets for each
// run (keys, or web identity with AWS_ENDPOINT_URL_STS on 127.0.0.1; instance metadata disabled, no shared files).
// Reads {"uri", "commands": [{...}]} as JSON on stdin, connects, runs each command on admin and prints one JSON line
// {"results": [{"reply"} | {"error"}]} or {"error"}, in canonical Extended JSON. It never decides pass or fail.
'use strict';

const { MongoClient, BSON } = require('mongodb');

function describe(error) {
  return {
    name: error && error.name,
    code: error && error.code != null && !Number.isNaN(Number(error.code)) ? Number(error.code) : null,
    codeName: (error && error.codeName) || null,
    message: String((error && error.message) || error),
  };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const client = new MongoClient(input.uri, { serverSelectionTimeoutMS: 10000, connectTimeoutMS: 10000 });
  let outcome;
  try {
    await client.connect();
    const results = [];
    for (const command of input.commands || []) {
      try {
        results.push({ reply: await client.db('admin').command(BSON.EJSON.deserialize(command, { relaxed: false }), { promoteValues: false }) });
      } catch (error) {
        results.push({ error: describe(error) });
      }
    }
    outcome = { results };
  } catch (error) {
    outcome = { error: describe(error) };
  } finally {
    await client.close().catch(() => {});
  }
  process.stdout.write(BSON.EJSON.stringify(outcome, { relaxed: false }) + '\n');
}

main().catch(error => {
  process.stderr.write(`aws.js failed: ${error && error.stack || error}\n`);
  process.exit(1);
});
