/**
 * The body as lines, whether it is still HTML or already text. Steps that find things by line (quote headers,
 * signatures, banners) work through this, so one detector serves both; the HTML view maps lines back to DOM nodes.
 */
export interface LineView {
  readonly lines: readonly string[];
  /** Removes line `from` and everything after it. */
  cutFrom(from: number): void;
  /** Removes lines [from, to). */
  removeLines(from: number, to: number): void;
}
