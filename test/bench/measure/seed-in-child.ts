import { spawn } from 'node:child_process';
import type { RunningEmulator } from '../../../src/emulator/index.ts';
import type { CorpusStats } from '../corpus/index.ts';
import type { SeedOptions } from './seed-mailbox.ts';

/** Seeds the support mailbox from a child process (seed-mailbox.ts says why) and returns the corpus's sizes. */
export function seedInChild(emulator: RunningEmulator, options: SeedOptions): Promise<CorpusStats> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/measure/seed-mailbox.ts'], {
      env: { ...process.env, BENCH_EMULATOR: JSON.stringify(emulator), BENCH_SEED_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as CorpusStats) : reject(new Error(`seeding exited ${code}: ${out}`))));
  });
}
