import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { RunningEmulator } from '../../emulator/index.ts';

/** The demo's support job, the folder it reads and the mail that arrives in it once the job has connected. */
export const demoLiveMail = {
  job: 'support-inbox',
  mailbox: 'support@contoso.example',
  folder: 'Inbox/Support',
  file: 'fixtures/mail/demo/live/new-request-after-connect.eml',
};

/**
 * Delivers the demo's "live" mail through the emulator's control API (what the README's curl line does). The mail
 * seeded into the tenant is in the folder before the job first connects, so it is imported as backlog and never
 * acknowledged (README, "First connection to a full mailbox"); a mail arriving afterwards shows the whole loop:
 * ticket, acknowledgement through sendMail. Its Date is now; its Message-ID stays, so a second `npm start` against the
 * same database records it as a duplicate rather than a second ticket.
 */
export async function deliverDemoLiveMail(emulator: RunningEmulator, path: string, now: Date): Promise<void> {
  const mime = (await readFile(path, 'utf8')).replace(/^Date: .*$/m, `Date: ${now.toUTCString().replace('GMT', '+0000')}`);
  const url = new URL(`/_emulator/mailboxes/${encodeURIComponent(demoLiveMail.mailbox)}/messages?folder=${encodeURIComponent(demoLiveMail.folder)}`, emulator.url);
  await new Promise<void>((resolve, reject) => {
    const req = request(url, { method: 'POST', ca: emulator.caPem, headers: { 'content-type': 'message/rfc822' } }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`the emulator answered ${res.statusCode} to the demo mail`))));
    });
    req.on('error', reject);
    req.end(mime);
  });
}
