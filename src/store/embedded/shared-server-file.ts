import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:net';

/**
 * While `mailroom start` runs, its embedded server owns the data folder; a second command (`mailroom tickets list` in
 * another terminal) must use that server rather than start another one on the same files. The owner writes where it
 * listens into the data folder; others read it and check that the server still answers.
 */
interface ServerFile {
  uri: string;
  port: number;
  pid: number;
}

const fileName = 'server.json';

function answers(port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe(true);
    });
    socket.once('error', () => resolveProbe(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function findRunningServer(dataDir: string): Promise<string | null> {
  try {
    const found = JSON.parse(await readFile(join(dataDir, fileName), 'utf8')) as ServerFile;
    if (alive(found.pid) && (await answers(found.port))) return found.uri;
  } catch {
    // no server recorded, or an unreadable record: start one
  }
  return null;
}

export async function recordRunningServer(dataDir: string, uri: string, port: number): Promise<() => Promise<void>> {
  const path = join(dataDir, fileName);
  await writeFile(path, JSON.stringify({ uri, port, pid: process.pid } satisfies ServerFile));
  return () => rm(path, { force: true });
}
