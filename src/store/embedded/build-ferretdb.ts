import { spawn } from 'node:child_process';
import { access, mkdir, rename } from 'node:fs/promises';
import { withBuildLock } from './build-lock.ts';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/index.ts';

export const FERRETDB_VERSION = 'v1.24.2';
const wrapperDir = join(dirname(fileURLToPath(import.meta.url)), 'ferretdb');

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface BuildOptions {
  cacheDir: string;
  goBinary: string;
  /** Progress lines for a person waiting on the first build (it takes minutes). */
  onProgress: (line: string) => void;
}

/**
 * Returns the path of the FerretDB binary, building it with Go on first use.
 * The build output goes to a temporary name and is renamed into place, so a killed build never leaves a broken binary.
 */
export async function ensureFerretdbBinary(options: BuildOptions): Promise<string> {
  const dir = join(options.cacheDir, `ferretdb-${FERRETDB_VERSION}`);
  const binary = join(dir, 'mailroom-ferretdb');
  if (await exists(binary)) return binary;
  await mkdir(dir, { recursive: true });
  return withBuildLock(join(dir, 'build.lock'), async () => {
    if (await exists(binary)) return binary;
    const temp = `${binary}.${process.pid}.tmp`;
    options.onProgress(`building FerretDB ${FERRETDB_VERSION} with Go into ${dir} (first use only; this takes a few minutes)`);
    const started = Date.now();
    await new Promise<void>((resolveBuild, reject) => {
      const child = spawn(options.goBinary, ['build', '-trimpath', '-o', temp, '.'], {
        cwd: wrapperDir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let tail = '';
      let downloads = 0;
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-4000);
        for (const line of chunk.split('\n')) {
          if (line.startsWith('go: downloading')) {
            downloads += 1;
            if (downloads % 10 === 1) options.onProgress(`FerretDB build: downloaded ${downloads} Go modules…`);
          }
        }
      });
      const timer = setInterval(() => options.onProgress(`FerretDB build: compiling (${Math.round((Date.now() - started) / 1000)} s)…`), 20_000);
      child.on('error', (error) => {
        clearInterval(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearInterval(timer);
        if (code === 0) resolveBuild();
        else reject(new AppError('STORE_EMBEDDED_UNAVAILABLE', `building FerretDB failed (go exit ${code}):\n${tail}`));
      });
    });
    await rename(temp, binary);
    options.onProgress(`FerretDB built in ${Math.round((Date.now() - started) / 1000)} s`);
    return binary;
  });
}
