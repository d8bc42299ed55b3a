export { applyDecisions, type AppliedDecision, type ApplyInput } from './apply-decision.ts';
export { planPostActions, mergePostActions } from './post-actions.ts';
export { rememberMessageIds, rememberThreads, findThreadTicket, loadKnownMessages, pickThread, bareMessageId } from './known-messages.ts';
