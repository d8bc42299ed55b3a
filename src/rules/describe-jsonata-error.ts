interface JsonataErrorShape { code?: unknown; message?: unknown; position?: unknown }

/** JSONata throws plain objects ({code, message, position, token}), not Errors; this reads them defensively. */
export function describeJsonataError(error: unknown): { code: string | null; message: string; position: number | null } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as JsonataErrorShape;
  const code = typeof e.code === 'string' ? e.code : null;
  const text = typeof e.message === 'string' ? e.message : String(error);
  return { code, message: `JSONata ${code === null ? '' : `${code} `}${text}`, position: typeof e.position === 'number' ? e.position : null };
}
