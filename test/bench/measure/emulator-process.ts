import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunningEmulator, TenantDefinition } from '../../../src/emulator/index.ts';

/** The emulator in a process of its own (as Microsoft would be), so its CPU and memory are measured apart. */
export async function startEmulatorProcess(dir: string, tenant: TenantDefinition): Promise<{ emulator: RunningEmulator; pid: number; stop(): void }> {
  const tenantFile = join(dir, 'tenant.json');
  await writeFile(tenantFile, JSON.stringify(tenant));
  const child = spawn(process.execPath, ['src/cli/bin.js', 'emulator', '--port', '0', '--tenant', tenantFile, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  return { emulator: JSON.parse(line) as RunningEmulator, pid: child.pid!, stop: () => void child.kill('SIGTERM') };
}
