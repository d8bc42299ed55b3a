import { readdir, readFile, readlink } from 'node:fs/promises';

// Linux reports CPU time in clock ticks of USER_HZ, which is 100 on every architecture Node supports (`getconf CLK_TCK`).
const ticksPerSecond = 100;

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat; null when it cannot be read. */
export async function processCpuMs(pid: number): Promise<number | null> {
  return statCpuMs(`/proc/${pid}/stat`);
}

/**
 * CPU time (ms) of this process's main thread so far (its task id is the process id): process.cpuUsage() minus this
 * is what the other threads used (V8's garbage-collection helpers, the rule workers, libuv's pool).
 */
export async function mainThreadCpuMs(): Promise<number | null> {
  return statCpuMs(`/proc/${process.pid}/task/${process.pid}/stat`);
}

async function statCpuMs(file: string): Promise<number | null> {
  try {
    const stat = await readFile(file, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Peak resident memory (MB) of a process so far (VmHWM); null when it cannot be read. */
export async function processPeakRssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** The process listening on a local TCP port (the database server the store talks to); null when not ours to see. */
export async function listeningPid(port: number): Promise<number | null> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return Number(entry);
    }
  }
  return null;
}
