/**
 * JSONata results can be "sequences" (arrays with extra flags), functions or undefined. Decisions are stored
 * and compared as JSON, so results are copied to plain JSON: functions and undefined are dropped, like JSON.stringify does.
 */
export function toPlainJson(value: unknown): unknown {
  if (value === undefined || typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  if (Array.isArray(value)) {
    return (value as unknown[]).map((item) => toPlainJson(item) ?? null);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const plain = toPlainJson(item);
    if (plain !== undefined) result[key] = plain;
  }
  return result;
}
