import { messageMoveRequest, messagePatchRequest, type BatchRequest } from '../../graph/index.ts';
import type { PostActions } from '../../rules/index.ts';

/** Job defaults with the matching rule's post-actions on top (field by field; categories add up). */
export function mergePostActions(jobDefaults: PostActions, fromRule: PostActions): PostActions {
  const merged: PostActions = { ...jobDefaults, ...fromRule };
  const categories = [...new Set([...(jobDefaults.categories ?? []), ...(fromRule.categories ?? [])])];
  if (categories.length > 0) merged.categories = categories;
  else delete merged.categories;
  return merged;
}

/**
 * The Graph requests that carry out a mail's post-actions: one PATCH for read/flag/categories, then a move.
 * With immutable ids the message keeps its id across the move, so a repeated plan after a crash still addresses it.
 * https://learn.microsoft.com/graph/outlook-immutable-id
 */
export function planPostActions(mailbox: string, graphId: string, actions: PostActions, moveToFolderId: string | null, idPrefix: string, existingCategories: readonly string[] = []): BatchRequest[] {
  const ref = { mailbox, messageId: graphId };
  const patch: Record<string, unknown> = {};
  if (actions.markRead) patch.isRead = true;
  if (actions.flag) patch.flag = { flagStatus: 'flagged' };
  // PATCH replaces the whole list: keep what people already put on the mail.
  if (actions.categories && actions.categories.some((c) => !existingCategories.includes(c))) patch.categories = [...new Set([...existingCategories, ...actions.categories])];
  const requests: BatchRequest[] = [];
  if (Object.keys(patch).length > 0) requests.push(messagePatchRequest({ ...ref, requestId: `${idPrefix}-patch`, changes: patch }));
  if (moveToFolderId) requests.push(messageMoveRequest({ ...ref, requestId: `${idPrefix}-move`, destinationFolderId: moveToFolderId, dependsOn: requests.length > 0 ? [`${idPrefix}-patch`] : [] }));
  return requests;
}
