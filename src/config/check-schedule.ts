import { CronExpressionParser } from 'cron-parser';
import { parseDuration } from '../core/index.ts';

export type ParsedSchedule = { kind: 'interval'; ms: number } | { kind: 'cron'; expression: string };

/** A schedule is an interval ("5 minutes") or a five-field cron expression; returns a reason when it is neither. */
export function parseSchedule(text: string): ParsedSchedule | { error: string } {
  if (/^\s*\d/.test(text) && !/\s\S+\s/.test(text.trim())) {
    try {
      const ms = parseDuration(text);
      if (ms < 1000) return { error: `interval "${text}" is shorter than one second` };
      return { kind: 'interval', ms };
    } catch {
      // not an interval; try cron below
    }
  }
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) return { error: `"${text}" is neither an interval such as "5 minutes" nor a five-field cron expression` };
  try {
    CronExpressionParser.parse(text);
    return { kind: 'cron', expression: text.trim() };
  } catch (error) {
    return { error: `cron expression "${text}": ${(error as Error).message}` };
  }
}
