import test from 'ava';
import { dirname, join } from 'node:path';
import { fetch as undiciFetch } from 'undici';
import { createTlsDispatcher } from '../../src/auth/index.ts';
import { withHttpDefaults } from '../../src/config/http-config.ts';
import { createHttpServer } from '../../src/http/index.ts';
import { startApiWorld, type ApiWorld } from './helpers/api-world.ts';

let api: ApiWorld;
test.before(async () => {
  api = await startApiWorld();
});
test.after.always(async () => {
  await api?.close();
});

test('with tls set the server speaks HTTPS with the given certificate', async (t) => {
  // The emulator's localhost certificate, signed by its CA.
  const dir = dirname(api.world.emulator.caFile);
  const server = await createHttpServer(api.app, { settings: withHttpDefaults({ port: 0, tls: { certificateFile: join(dir, 'localhost-cert.pem'), privateKey: { file: join(dir, 'localhost-key.pem') } } }, null) });
  const url = await server.listen();
  t.teardown(() => server.close());
  t.regex(url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const response = await undiciFetch(`${url}/api/v1/openapi.json`, { dispatcher: createTlsDispatcher(api.world.emulator.caFile) });
  t.is(response.status, 200);
  const missing = await t.throwsAsync(createHttpServer(api.app, { settings: withHttpDefaults({ port: 0, tls: { certificateFile: join(dir, 'nope.pem'), privateKey: { file: join(dir, 'localhost-key.pem') } } }, null) }));
  t.is((missing as { code?: string }).code, 'HTTP_LISTEN_FAILED');
});

test('behind a trusted reverse proxy the client address comes from X-Forwarded-For (failed tokens are counted per client)', async (t) => {
  const server = await createHttpServer(api.app, { settings: withHttpDefaults({ port: 0, trustProxy: ['127.0.0.1'] }, null) });
  const url = await server.listen();
  t.teardown(() => server.close());
  const from = (ip: string) => fetch(`${url}/api/v1/session`, { headers: { authorization: 'Bearer mrt_wrong', 'x-forwarded-for': ip } });
  for (let i = 0; i < 20; i += 1) t.is((await from('203.0.113.7')).status, 401);
  t.is((await from('203.0.113.7')).status, 429);
  t.is((await from('198.51.100.9')).status, 401, 'another client behind the same proxy is not blocked');
});

test('the port taken already is HTTP_LISTEN_FAILED naming the port', async (t) => {
  const port = Number(new URL(api.url).port);
  const server = await createHttpServer(api.app, { settings: withHttpDefaults({ port }, null) });
  const error = await t.throwsAsync(server.listen());
  t.is((error as { code?: string }).code, 'HTTP_LISTEN_FAILED');
  t.regex((error as Error).message, new RegExp(`127\\.0\\.0\\.1:${port}`));
  await server.close();
});
