// What the official Node.js driver (npm `mongodb`) discovers at a deployment, for TopologyReferenceTests.
// Reads {"uri", "expect"} as JSON on stdin, pings, then waits (up to 15 s) until its topologyDescriptionChanged
// events report `expect` servers that are all known, and prints {type, setName, servers: {address: {type, setName,
// primary}}} as JSON. The view comes from the events, not from driver internals.
'use strict';

const { MongoClient } = require('mongodb');

async function main() {
  const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const client = new MongoClient(input.uri, { heartbeatFrequencyMS: 500, serverSelectionTimeoutMS: 15000 });
  let latest = null;
  client.on('topologyDescriptionChanged', event => { latest = event.newDescription; });
  const settled = () => latest !== null && latest.servers.size === input.expect
    && [...latest.servers.values()].every(s => s.type !== 'Unknown');
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    const deadline = Date.now() + 15000;
    while (!settled() && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    const servers = {};
    for (const [address, s] of latest.servers) {
      servers[address] = { type: s.type, setName: s.setName ?? null, primary: s.primary ?? null };
    }
    process.stdout.write(JSON.stringify({ type: latest.type, setName: latest.setName ?? null, servers }));
  } finally {
    await client.close();
  }
}

main().catch(error => { console.error(error); process.exit(1); });
