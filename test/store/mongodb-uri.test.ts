import test from 'ava';
import { MongoClient } from 'mongodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientOptionsFor, startTestDatabase } from '../../src/store/index.ts';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/log/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const password = 'Pa55-w0rd_never-logged';
const credentialed = `mongodb://mailroom:${password}@127.0.0.1:9/?tls=true&tlsCAFile=/etc/ssl/mailroom-ca.pem&authSource=admin&serverSelectionTimeoutMS=400&appName=helpdesk`;

test('a MONGODB_URI with credentials and TLS options reaches the driver as given', (t) => {
  const options = new MongoClient(credentialed, clientOptionsFor(credentialed, 10_000)).options;
  t.is(options.credentials?.username, 'mailroom');
  t.is(options.credentials?.password, password);
  t.is(options.credentials?.source, 'admin');
  t.true(options.tls);
  t.is(options.tlsCAFile, '/etc/ssl/mailroom-ca.pem');
  t.is(options.serverSelectionTimeoutMS, 400, "the URI's own time-out is not overridden");
  t.is(options.appName, 'helpdesk');
  t.like(options.writeConcern, { w: 'majority', journal: true }, 'journaled majority writes unless the URI says otherwise');
  const own = new MongoClient('mongodb://127.0.0.1:9/?w=1&journal=false', clientOptionsFor('mongodb://127.0.0.1:9/?w=1&journal=false', 10_000)).options;
  t.like(own.writeConcern, { w: 1, journal: false }, "the URI's write concern stands");
});

test('writes go through with the journaled majority write concern on the local test server', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  t.like(db.store.client.options.writeConcern, { w: 'majority', journal: true });
  const result = await db.store.collection('tickets').insertOne({ number: 1, createdFrom: 'wc' });
  t.true(result.acknowledged);
});

test('the password of a MONGODB_URI appears in no log line and no error message', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-uri-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const unreachable = `mongodb://mailroom:${password}@127.0.0.1:9/?authSource=admin&serverSelectionTimeoutMS=400`;
  const result = await runCli(['tickets', 'list'], { cwd: dir, env: { MONGODB_URI: unreachable, LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, timeoutMs: 180_000 });
  t.is(result.code, 1);
  t.regex(result.stderr, /STORE_UNAVAILABLE/);
  t.false(result.stderr.includes(password), result.stderr);
  t.false(result.stdout.includes(password));
  const missingCa = await runCli(['tickets', 'list'], { cwd: dir, env: { MONGODB_URI: credentialed, LOG_LEVEL: 'debug' }, timeoutMs: 180_000 });
  t.is(missingCa.code, 2);
  t.regex(missingCa.stderr, /CONFIG_INVALID: MONGODB_URI names a file that cannot be read: .*mailroom-ca\.pem/);
  t.false(missingCa.stderr.includes(password), missingCa.stderr);
  const broken = await runCli(['tickets', 'list', '--json'], { cwd: dir, env: { MONGODB_URI: `mongodb://mailroom:${password}@/?bogus=1`, LOG_LEVEL: 'debug' }, timeoutMs: 180_000 });
  t.is(broken.code, 2, broken.stdout + broken.stderr);
  t.regex(broken.stdout, /CONFIG_INVALID/);
  t.false((broken.stdout + broken.stderr).includes(password), broken.stdout);
});

test('a log line that carries a connection string shows it without its password', (t) => {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const logger = createLogger({ format: 'json', stream });
  logger.info(`connecting to ${credentialed}`, { uri: credentialed, srv: `mongodb+srv://mailroom:${password}@cluster0.example.net/` });
  t.false(out.includes(password), out);
  t.regex(out, /mongodb:\/\/mailroom:\[REDACTED\]@127\.0\.0\.1:9\/\?tls=true/);
  t.regex(out, /mongodb\+srv:\/\/mailroom:\[REDACTED\]@cluster0/);
});
