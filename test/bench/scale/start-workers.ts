import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { RunningEmulator } from '../../../src/emulator/index.ts';

export interface Workers {
  pids: number[];
  /** When each job's first run was set to be, as the workers' reconciliations reported it (the later report wins). */
  firstRuns: Map<string, number>;
  /** Stops them; resolves with the database commands each sent, by command and collection. */
  stop(): Promise<Record<string, number>[]>;
}

/** Starts `count` worker processes on one database and resolves when each has said "started". */
export async function startWorkers(count: number, env: { emulator: RunningEmulator; dbUri: string; dbName: string; jobs: number; schedule: string; root: string }): Promise<Workers> {
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const firstRuns = new Map<string, number>();
  const commands: Promise<Record<string, number>>[] = [];
  for (let w = 0; w < count; w += 1) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/scale/scale-worker.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, EMULATOR: JSON.stringify(env.emulator), DB_URI: env.dbUri, DB_NAME: env.dbName, JOBS: String(env.jobs), SCHEDULE: env.schedule, ROOT: env.root, WORKER: `worker-${w + 1}` },
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    commands.push(new Promise((resolve) => {
      lines.on('line', (line) => line.startsWith('commands ') && resolve(JSON.parse(line.slice(9)) as Record<string, number>));
      child.once('exit', () => resolve({}));
    }));
    ready.push(new Promise((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.startsWith('first-runs ')) {
          for (const [job, at] of Object.entries(JSON.parse(line.slice(11)) as Record<string, string>)) firstRuns.set(job, Date.parse(at));
        }
        if (line === 'started') resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker ${w + 1} exited early (${code})`)));
    }));
  }
  await Promise.all(ready);
  return {
    pids: children.map((c) => c.pid!),
    firstRuns,
    stop: async () => {
      await Promise.all(children.map((c) => new Promise<void>((resolve) => {
        if (c.exitCode !== null) return resolve();
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      })));
      return Promise.all(commands);
    },
  };
}
