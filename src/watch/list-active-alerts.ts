import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { AlertRecord } from './alert-types.ts';

/** An alert as the console banner, the API and `mailroom health` show it: its stored facts, without the mail bookkeeping. */
export type ActiveAlert = Pick<AlertRecord, 'type' | 'severity' | 'subject' | 'summary' | 'hint' | 'since' | 'lastSeenAt'> & {
  key: string;
  /** Whether the administrators were mailed about it. */
  mailed: boolean;
};

/** The alerts active as of the latest alerts run, critical first, oldest first within a severity. */
export async function listActiveAlerts(store: Store): Promise<ActiveAlert[]> {
  const found = await withStoreErrors('read alerts', () => store.collection<AlertRecord>(collectionNames.alerts).find({ status: 'active' }).toArray());
  return found
    .sort((a, b) => (a.severity === b.severity ? a.since.getTime() - b.since.getTime() : a.severity === 'critical' ? -1 : 1))
    .map((r) => ({ key: r._id, type: r.type, severity: r.severity, subject: r.subject, summary: r.summary, hint: r.hint, since: r.since, lastSeenAt: r.lastSeenAt, mailed: r.mailedSeverity !== null }));
}
