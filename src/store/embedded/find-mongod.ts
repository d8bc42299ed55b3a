import { connect } from 'node:net';
import { findExecutable } from './find-executable.ts';

export interface FindMongodOptions {
  pathVariable: string | undefined;
  /** May mongodb-memory-server download a mongod (≈100 MB) when none is cached? Default true. */
  allowDownload?: boolean;
  /** The download host mongodb-memory-server would use (MONGOMS_DOWNLOAD_MIRROR), probed before trying. */
  downloadMirror?: string | undefined;
  /** How long the probe of the download host may take (ms). Default 2500. */
  probeTimeoutMs?: number;
  onProgress: (line: string) => void;
}

/** True when a TCP connection to the host's HTTPS port opens within the time: a quick "are we online" that never hangs. */
function reachable(url: string, timeoutMs: number): Promise<boolean> {
  let host: string;
  let port: number;
  try {
    const parsed = new URL(url);
    host = parsed.hostname;
    port = Number(parsed.port || (parsed.protocol === 'http:' ? 80 : 443));
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolveProbe) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolveProbe(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A real mongod, if one can be had: on the PATH, cached by mongodb-memory-server (~/.cache/mongodb-binaries), or
 * downloaded by it. The download host is probed first with a short time-out, because offline mongodb-memory-server
 * retries for about ten seconds and prints its failures; so an offline machine falls through at once.
 * Returns the binary's path and where it came from, or the reason there is none.
 */
export async function findMongod(options: FindMongodOptions): Promise<{ path: string; from: string } | { reason: string }> {
  const onPath = await findExecutable('mongod', options.pathVariable);
  if (onPath) return { path: onPath, from: 'the PATH' };
  // Loaded only on this path: the package is big, and most commands never start a database.
  const { DryMongoBinary, MongoBinary } = await import('mongodb-memory-server-core');
  try {
    const cached = await DryMongoBinary.locateBinary(await DryMongoBinary.generateOptions());
    if (cached) return { path: cached, from: 'the mongodb-memory-server cache' };
  } catch {
    // no usable cache entry: try a download below
  }
  if (options.allowDownload === false) return { reason: 'not on the PATH and none cached by mongodb-memory-server' };
  const mirror = options.downloadMirror ?? 'https://fastdl.mongodb.org';
  if (!(await reachable(mirror, options.probeTimeoutMs ?? 2500))) return { reason: `not on the PATH, none cached, and ${mirror} cannot be reached to download one` };
  options.onProgress(`downloading mongod with mongodb-memory-server from ${mirror} (first use only)`);
  try {
    return { path: await MongoBinary.getPath(), from: 'a mongodb-memory-server download' };
  } catch (error) {
    return { reason: `download failed: ${(error as Error).message.split('\n')[0]}` };
  }
}
