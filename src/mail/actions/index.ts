export { applyDecision, type AppliedDecision, type ApplyInput } from './apply-decision.ts';
export { planPostActions, mergePostActions } from './post-actions.ts';
export { rememberMessageIds, findThreadTicket } from './known-messages.ts';
