import test from 'ava';
import { createSessionStore, createOneTimeSignIn } from '../../src/auth/access/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { manualClock } from '../notify/helpers/notify-world.ts';

test('a session ends when its time is up or it is removed; only the hash of its id is stored', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const clock = manualClock('2026-12-01T08:00:00Z');
  const sessions = createSessionStore(db.store, clock);
  const { id } = await sessions.create({ name: 'ann@contoso.example', displayName: 'Ann', role: 'reader', via: 'entra' }, 3_600_000);
  t.like(await sessions.find(id), { user: { name: 'ann@contoso.example', role: 'reader' } });
  const stored = await db.store.collection('http_sessions').find({}).toArray();
  t.is(stored.length, 1);
  t.false(JSON.stringify(stored).includes(id), 'the cookie value is not in the database');
  clock.advance(3_600_000);
  t.is(await sessions.find(id), null, 'expired');
  const other = await sessions.create({ name: 'bob@contoso.example', displayName: 'Bob', role: 'admin', via: 'entra' }, 3_600_000);
  await sessions.remove(other.id);
  t.is(await sessions.find(other.id), null, 'signed out');
});

test('a one-time link works once and not after its lifetime', (t) => {
  let now = 0;
  const links = createOneTimeSignIn({ lifetimeMs: 1000, now: () => now });
  const a = links.issue();
  const b = links.issue();
  t.true(links.redeem(a));
  t.false(links.redeem(a));
  now = 1000;
  t.false(links.redeem(b), 'expired');
  t.false(links.redeem('made-up'));
});
