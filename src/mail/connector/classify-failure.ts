import type { AppError } from '../../core/index.ts';

/**
 * Whether an error belongs to one message (count it, retry on a later run, quarantine after N) or to the whole run
 * (stop now without saving the delta position, so the next run picks up where this one stood).
 * A store outage or an exhausted Graph retry is not the message's fault and must never quarantine it.
 */
export function isMessageFailure(error: AppError): boolean {
  if (error.code.startsWith('STORE_') && error.code !== 'STORE_DUPLICATE_KEY') return false;
  if (error.code === 'JOB_ABORTED') return false;
  // A mail Graph cannot convert to MIME is that mail's own problem, never the run's (it must not block the folder).
  if (error.code.startsWith('GRAPH_') && error.code !== 'GRAPH_NOT_FOUND' && error.code !== 'GRAPH_BAD_REQUEST' && error.code !== 'GRAPH_MIME_CONVERSION_FAILED') return false;
  if (error.code.startsWith('AUTH_')) return false;
  return true;
}

/**
 * Whether a failed post-action can never succeed as asked (a missing folder, a request Graph refuses): that mail
 * counts an attempt and is quarantined after N. Throttling and outages only leave the post-action for the next run.
 */
export function isPermanentPostActionFailure(error: AppError): boolean {
  return error.code === 'GRAPH_FOLDER_NOT_FOUND' || error.code === 'GRAPH_BAD_REQUEST' || error.code === 'MAIL_POST_ACTION_FAILED'
    || error.code === 'GRAPH_ERROR' || error.code === 'GRAPH_ACCESS_DENIED';
}
