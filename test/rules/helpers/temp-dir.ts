import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';

/** A fresh folder removed after the test, for rule files the test writes. */
export async function makeTempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-rules-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
