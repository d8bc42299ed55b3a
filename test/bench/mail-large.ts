// `npm run bench:mail -- --large`: twelve mails with a 25 MB attachment each through one run of a mail job, the job in
// a child process of its own (test/mail/run-job-child.ts) so its peak RSS is the connector's alone: sampled every 20 ms
// and the kernel's maxRSS, whichever is higher.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { supportMailbox } from '../helpers/mail-world.ts';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

/** A mail with one attachment of exactly `bytes` random bytes, base64 in lines of 76 as mail clients send it. */
export function largeMime(i: number, bytes: number): string {
  const boundary = `large-${i}-boundary`;
  const base64 = randomBytes(bytes).toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    `From: sender${i}@fabrikam.example`, 'To: support@contoso.example', `Subject: Large mail ${i}`, 'Date: Fri, 20 Nov 2026 09:00:00 +0000',
    `Message-ID: <large-${i}@bench.example>`, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', `Scan ${i} attached.`, '',
    `--${boundary}`, `Content-Type: application/octet-stream; name="scan-${i}.bin"`, `Content-Disposition: attachment; filename="scan-${i}.bin"`, 'Content-Transfer-Encoding: base64', '',
    base64, `--${boundary}--`, '',
  ].join('\r\n');
}

export async function benchLarge(emulator: RunningEmulator): Promise<void> {
  const messages = option('--messages', 12);
  const attachmentBytes = Math.round(option('--attachment-mb', 25) * 1024 * 1024);
  const control = emulatorClient(emulator);
  process.stderr.write(`seeding ${messages} mails with a ${(attachmentBytes / 1024 / 1024).toFixed(0)} MB attachment each…\n`);
  for (let i = 0; i < messages; i += 1) await control.deliver(supportMailbox, largeMime(i, attachmentBytes), 'Inbox/Support');
  const db = await startTestDatabase();
  process.stderr.write('running the job in a child process…\n');
  const started = performance.now();
  const line = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/mail/run-job-child.ts'], {
      env: { ...process.env, EMU_URL: emulator.url, EMU_CA: emulator.caFile, DB_URI: db.uri, DB_NAME: db.dbName, ATTACHMENT_MAX_BYTES: String(attachmentBytes + 1024 * 1024) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n').pop() ?? '') : reject(new Error(`job child exited ${code}: ${out}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  const child = JSON.parse(line) as { status: string; counts: Record<string, number>; peakRssBytes: number; rssBeforeRunBytes: number };
  const result = {
    messages, attachmentMb: attachmentBytes / 1024 / 1024, status: child.status, counts: child.counts,
    seconds: Number(seconds.toFixed(1)), connectorPeakRssMb: Math.round(child.peakRssBytes / 1024 / 1024), connectorRssBeforeRunMb: Math.round(child.rssBeforeRunBytes / 1024 / 1024),
  };
  console.log(`${child.counts.created ?? 0}/${messages} large mails in ${result.seconds} s; connector peak RSS ${result.connectorPeakRssMb} MB (target < 400 MB; ${result.connectorRssBeforeRunMb} MB before the run)`);
  console.log(JSON.stringify(result));
  await db.drop();
}
