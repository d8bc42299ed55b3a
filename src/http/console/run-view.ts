import type { JobRunRecord, JobRunSummary } from '../../jobs/index.ts';

function took(run: JobRunSummary): string {
  if (!run.endedAt) return 'still running';
  const seconds = (run.endedAt.getTime() - run.startedAt.getTime()) / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** `seen` is the sum of a mail run's outcomes; shown beside them so a reader can check that they add up. */
function seen(run: JobRunSummary): number | null {
  return typeof run.counts.seen === 'number' ? run.counts.seen : null;
}

export function runSummaryView(run: JobRunSummary): Record<string, unknown> {
  return { id: run._id, status: run.status, startedAt: run.startedAt, counts: run.counts, seen: seen(run), took: took(run), error: run.error };
}

/** A run as its page shows it: each item with a ticket link when the item produced or touched a ticket. */
export function runView(run: JobRunRecord): Record<string, unknown> {
  const items = run.items.map((item) => {
    const ticket = typeof item.ticketNumber === 'number' ? item.ticketNumber : /^\d+$/.test(item.target ?? '') ? Number(item.target) : null;
    return { ...item, ticketNumber: ticket };
  });
  return { ...runSummaryView(run), job: run.job, worker: run.worker, graph: run.graph, notes: run.notes, items, itemsOmitted: run.itemsOmitted };
}
