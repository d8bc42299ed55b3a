import { withAlertsDefaults } from '../config/alerts-job-defaults.ts';
import type { AlertsJobConfig } from '../config/job-config.ts';
import type { MailroomConfig } from '../config/load-config.ts';
import type { AlertCondition } from './alert-types.ts';
import { evaluateJobConditions } from './evaluate-job-conditions.ts';
import { evaluateOtherConditions } from './evaluate-other-conditions.ts';
import { gatherWatchFacts, type GatherContext } from './gather-watch-facts.ts';
import type { AlertRules, WatchFacts } from './watch-facts.ts';

/** The configured alerts job's rules, or every default when there is none (health still applies them). */
export function alertRulesOf(config: MailroomConfig): AlertRules {
  const job = config.jobs.find((j): j is AlertsJobConfig => j.type === 'alerts');
  return job ?? withAlertsDefaults({}, '');
}

/** Every condition that holds now, with the facts it was computed from. */
export async function findAlertConditions(context: GatherContext): Promise<{ facts: WatchFacts; conditions: AlertCondition[] }> {
  const facts = await gatherWatchFacts(context);
  return { facts, conditions: [...evaluateJobConditions(facts.jobs, context.rules, facts.now), ...evaluateOtherConditions(facts, context.rules)] };
}
