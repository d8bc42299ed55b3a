import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { RunningEmulator } from '../../../src/emulator/index.ts';

export interface Workers {
  pids: number[];
  stop(): Promise<void>;
}

/** Starts `count` worker processes on one database and resolves when each has said "started". */
export async function startWorkers(count: number, env: { emulator: RunningEmulator; dbUri: string; dbName: string; jobs: number; schedule: string; root: string }): Promise<Workers> {
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let w = 0; w < count; w += 1) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/scale/scale-worker.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, EMULATOR: JSON.stringify(env.emulator), DB_URI: env.dbUri, DB_NAME: env.dbName, JOBS: String(env.jobs), SCHEDULE: env.schedule, ROOT: env.root, WORKER: `worker-${w + 1}` },
    });
    children.push(child);
    ready.push(new Promise((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => line === 'started' && resolve());
      child.once('exit', (code) => reject(new Error(`worker ${w + 1} exited early (${code})`)));
    }));
  }
  await Promise.all(ready);
  return {
    pids: children.map((c) => c.pid!),
    stop: async () => {
      await Promise.all(children.map((c) => new Promise<void>((resolve) => {
        if (c.exitCode !== null) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      })));
    },
  };
}
