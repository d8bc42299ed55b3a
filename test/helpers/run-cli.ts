import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const binPath = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `mailroom` binary as a user would, in a given folder and environment. */
export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd,
      env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningCli {
  child: ReturnType<typeof spawn>;
  /** Resolves with the first stderr line (log line) matching the pattern; rejects if the process exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** The exit code, or the signal's name when a signal ended it. */
  exited: Promise<number | string>;
  stdout(): string;
  stderr(): string;
}

/**
 * Starts the real binary and leaves it running (`mailroom start`, `worker`, a long `jobs run`), with JSON log lines on
 * stderr to synchronise on. `detached` puts it in a process group of its own, so a test can kill the whole group
 * (the CLI and the embedded database it started) as an OOM kill or a power cut would.
 */
export function startCli(args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined>; detached?: boolean }): RunningCli {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      for (const watcher of watchers) {
        if (watcher.pattern.test(line)) {
          watchers.delete(watcher);
          watcher.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<number | string>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLine: (pattern) => {
      const already = stderr.split('\n').find((line) => pattern.test(line));
      if (already !== undefined) return Promise.resolve(already);
      return new Promise<string>((resolve, reject) => {
        watchers.add({ pattern, resolve });
        void exited.then((code) => reject(new Error(`exited (${code}) before a line matched ${pattern}:\n${stderr.slice(-3000)}`)));
      });
    },
  };
}
