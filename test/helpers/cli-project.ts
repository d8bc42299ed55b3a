import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { clientId, tenantId, testTenant } from './mail-world.ts';

/**
 * A project folder as a user has one for the CLI: the default rules, `schedules/test.json` with the emulator's
 * connection `local` (secret from LOCAL_SECRET) and the given jobs, and the emulator's state in .mailroom/emulator,
 * where `mailroom` finds it. Both are removed when the test ends.
 */
export async function startCliProject(t: ExecutionContext, prefix: string, jobs: readonly Record<string, unknown>[]): Promise<{ project: string; emulator: RunningEmulator }> {
  const project = await mkdtemp(join(tmpdir(), `mailroom-${prefix}-`));
  t.teardown(() => rm(project, { recursive: true, force: true }));
  await cp('rules/default.json', join(project, 'rules/default.json'));
  const emulator = await startEmulator({ port: 0, stateDir: join(project, '.mailroom/emulator'), tenant: testTenant() });
  t.teardown(() => emulator.close());
  await mkdir(join(project, 'schedules'));
  await writeFile(join(project, 'schedules/test.json'), JSON.stringify({
    connections: [{ name: 'local', tenantId, clientId, cloud: 'emulator', credential: { clientSecret: { env: 'LOCAL_SECRET' } } }],
    jobs,
  }));
  return { project, emulator };
}
