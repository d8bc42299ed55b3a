export { planChanges, ticketsToLoad, type PlanInput } from './plan-changes.ts';
export { planPostActions, mergePostActions } from './post-actions.ts';
