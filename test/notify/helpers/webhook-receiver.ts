import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../../src/notify/webhooks/index.ts';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signatureValid: boolean;
  body: { type: string; timestamp: string; data: { eventId: string; ticketNumber: number; change: Record<string, unknown>; ticket: Record<string, unknown> | null } };
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next `count` requests with this status instead of 204. */
  failNext(count: number, status: number): void;
  /** The n-th request (1-based, counting all) is never answered; resolves when it has arrived. */
  holdRequest(n: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/** A receiver as a webhook consumer writes one: checks the Standard Webhooks signature of every request it gets. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failing = { count: 0, status: 503 };
  let hold: { n: number; arrived: (r: ReceivedWebhook) => void } | null = null;
  const held: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = { id: String(request.headers['webhook-id']), timestamp: String(request.headers['webhook-timestamp']), signature: String(request.headers['webhook-signature']) };
      const entry: ReceivedWebhook = { id: headers.id, timestamp: headers.timestamp, signatureValid: verifyWebhook(secret, headers, raw), body: JSON.parse(raw) as ReceivedWebhook['body'] };
      received.push(entry);
      if (hold && received.length === hold.n) {
        held.push(response);
        hold.arrived(entry);
        return;
      }
      if (failing.count > 0) {
        failing = { ...failing, count: failing.count - 1 };
        response.writeHead(failing.status).end();
        return;
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/mailroom`,
    received,
    failNext: (count, status) => void (failing = { count, status }),
    holdRequest: (n) => new Promise((resolve) => (hold = { n, arrived: resolve })),
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
