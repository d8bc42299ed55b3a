import test from 'ava';
import { EventEmitter, once } from 'node:events';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.ts';
import { createSessionStore, createSignInRequestStore } from '../../src/auth/access/index.ts';
import { withHttpDefaults } from '../../src/config/http-config.ts';
import { createHttpServer } from '../../src/http/index.ts';
import { createLogger } from '../../src/log/index.ts';
import { startMailWorld } from '../helpers/mail-world.ts';

const user = (name: string) => ({ name, displayName: name, role: 'admin' as const, via: 'entra' as const });

test('a listening server deletes expired console sessions (and sign-ins never finished) at start and then on its timer; an expired cookie signs no one in, a live one still does', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  // The sweep's log lines, as events: the test waits for them instead of for time.
  const purges = new EventEmitter();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const match = /^purged (\d+) expired (console session|sign-in request)/.exec((JSON.parse(line) as { message: string }).message);
        if (match) purges.emit(match[2] === 'console session' ? 'purged' : 'purged-sign-ins', Number(match[1]));
      }
      done();
    },
  });
  const app = createApp({ config: { ...world.app.config, http: withHttpDefaults({ port: 0 }, 'schedules/http.json') }, store: world.db.store, logger: createLogger({ format: 'json', stream }) });
  const sessions = createSessionStore(app.store, app.clock);
  const stored = app.store.collection('http_sessions');
  const expiredBefore = await sessions.create(user('old@contoso.example'), -60_000);
  const live = await sessions.create(user('ann@contoso.example'), 3_600_000);
  // A sign-in a person never finished (its PKCE verifier and nonce), next to one under way.
  const requests = createSignInRequestStore(app.store, app.clock);
  await requests.save('abandoned-state', { verifier: 'v1', nonce: 'n1', next: '/console' }, -60_000);
  await requests.save('current-state', { verifier: 'v2', nonce: 'n2', next: '/console' }, 600_000);

  const server = await createHttpServer(app, { sessionSweepMs: 200 });
  t.teardown(() => server.close());
  const first = once(purges, 'purged');
  const firstSignIns = once(purges, 'purged-sign-ins');
  const url = await server.listen();
  t.deepEqual(await first, [1], 'the sweep at start deletes the session that had expired');
  t.is(await stored.countDocuments({}), 1, 'only the live session is left');
  t.deepEqual(await firstSignIns, [1], 'and the sign-in that was never finished');
  t.is(await app.store.collection('sign_in_requests').countDocuments({}), 1);
  t.like(await requests.take('current-state'), { verifier: 'v2' }, 'a sign-in under way is kept');

  // A session that expires while the server runs is deleted by the timer's next sweep.
  // Listening first: a sweep may finish while the session is being written (a sweep that deletes nothing logs nothing).
  const next = once(purges, 'purged');
  const expiredLater = await sessions.create(user('bob@contoso.example'), -1);
  t.deepEqual(await next, [1]);
  t.is(await stored.countDocuments({}), 1);

  const asCookie = async (id: string): Promise<number> => (await fetch(`${url}/api/v1/session`, { headers: { cookie: `mailroom_session=${id}` } })).status;
  t.is(await asCookie(expiredBefore.id), 401);
  t.is(await asCookie(expiredLater.id), 401);
  t.is(await asCookie(live.id), 200, 'a session within its lifetime is kept and works');
});
