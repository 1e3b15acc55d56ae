// The official Node.js driver's MONGODB-OIDC against MongoAuth.TestServer, with @mongodb-js/oidc-mock-provider as
// the issuer (a key pair of its own, a new one per run). Protocol on stdin/stdout, one JSON line each way:
//   1. prints {"issuer", "audience", "subject"}: the C# side starts the test server trusting that issuer;
//   2. reads {"port", "tokenFile"}: runs the scenarios against 127.0.0.1:<port> and prints
//      [{"name", "user"?, "error"?, "calls": [{"refreshToken", "idpInfo"}]}].
// Tokens come from the mock's device-code endpoint (it approves every device code). Every scenario runs its own
// MongoClient; the script never fails a scenario itself: the xunit test decides.
'use strict';

const fs = require('fs');
const readline = require('readline');
const { MongoClient } = require('mongodb');
const { OIDCMockProvider } = require('@mongodb-js/oidc-mock-provider');

const AUDIENCE = 'resource-server-audience-value';
const SUBJECT = 'testuser';

async function deviceToken(issuer, clientId) {
  const device = await (await fetch(`${issuer}/device`, {
    method: 'POST', body: new URLSearchParams({ client_id: clientId, scope: 'openid' }),
  })).json();
  const token = await (await fetch(`${issuer}/token`, {
    method: 'POST', body: new URLSearchParams({ device_code: device.device_code }),
  })).json();
  if (!token.access_token) throw new Error(`the mock issuer gave no token: ${JSON.stringify(token)}`);
  return token;
}

async function identity(client) {
  const status = await client.db('admin').command({ connectionStatus: 1 });
  return status.authInfo.authenticatedUsers.map(u => `${u.user}@${u.db}`).join(',');
}

// Makes the server answer the next ping with 391, so the driver must reauthenticate on that connection.
async function force391(client) {
  await client.db('admin').command({
    configureFailPoint: 'failCommand', mode: { times: 1 }, data: { failCommands: ['ping'], errorCode: 391 },
  });
  await client.db('admin').command({ ping: 1 });
}

async function scenario(name, uri, options, run) {
  const calls = [];
  const client = new MongoClient(uri, Object.assign({ serverSelectionTimeoutMS: 10000, connectTimeoutMS: 10000 }, options(calls)));
  try {
    await client.connect();
    await run(client);
    return { name, user: await identity(client), calls };
  } catch (error) {
    return { name, error: `${error.name}: ${error.message}`, code: error.code ?? null, calls };
  } finally {
    await client.close().catch(() => {});
  }
}

async function main() {
  const provider = await OIDCMockProvider.create({
    hostname: '127.0.0.1',
    port: 0,
    getTokenPayload: () => ({ expires_in: 3600, payload: { sub: SUBJECT, aud: AUDIENCE } }),
  });
  const issuer = provider.issuer;
  process.stdout.write(JSON.stringify({ issuer, audience: AUDIENCE, subject: SUBJECT }) + '\n');
  const lines = readline.createInterface({ input: process.stdin });
  const config = JSON.parse((await lines[Symbol.asyncIterator]().next()).value);
  const base = `mongodb://127.0.0.1:${config.port}/?authMechanism=MONGODB-OIDC`;
  const outcomes = [];

  outcomes.push(await scenario('machine callback', base, calls => ({
    authMechanismProperties: {
      OIDC_CALLBACK: async params => {
        calls.push({ version: params.version ?? null });
        const token = await deviceToken(issuer, 'mongo-machine-client');
        return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
      },
    },
  }), async client => { await client.db('admin').command({ ping: 1 }); await force391(client); }));

  const token = await deviceToken(issuer, 'mongo-token-file');
  fs.writeFileSync(config.tokenFile, token.access_token);
  process.env.OIDC_TOKEN_FILE = config.tokenFile; // this child process's own environment
  outcomes.push(await scenario('ENVIRONMENT:test', `${base}&authMechanismProperties=ENVIRONMENT:test`, () => ({}),
    async client => { await client.db('admin').command({ ping: 1 }); }));

  outcomes.push(await scenario('human callback', base, calls => ({
    authMechanismProperties: {
      OIDC_HUMAN_CALLBACK: async params => {
        calls.push({ refreshToken: params.refreshToken ?? null, idpInfo: params.idpInfo ?? null });
        const token = await deviceToken(issuer, params.idpInfo.clientId);
        return { accessToken: token.access_token, refreshToken: token.refresh_token, expiresInSeconds: token.expires_in };
      },
    },
  }), async client => { await client.db('admin').command({ ping: 1 }); await force391(client); }));

  outcomes.push(await scenario('ALLOWED_HOSTS refuses', base, calls => ({
    authMechanismProperties: {
      ALLOWED_HOSTS: ['*.example.com'],
      OIDC_HUMAN_CALLBACK: async () => { calls.push({}); throw new Error('must not be called'); },
    },
  }), async client => { await client.db('admin').command({ ping: 1 }); }));

  process.stdout.write(JSON.stringify(outcomes) + '\n');
  lines.close();
  await provider.close();
}

main().catch(error => {
  process.stderr.write(`oidc.js failed: ${error && error.stack || error}\n`);
  process.exit(1);
});
