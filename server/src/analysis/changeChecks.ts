// Checking what the client sends about open documents (documents.ts): content changes with bad
// positions are refused before anything is applied, and what is refused is logged in short.
import { isRange, type Position } from './positions';

/** Why these content changes cannot be applied, or undefined when they can. */
export function invalidChanges(changes: unknown): string | undefined {
  if (!Array.isArray(changes)) return 'contentChanges is not an array';
  for (const [i, c] of changes.entries()) {
    if (typeof c !== 'object' || c === null || typeof (c as { text?: unknown }).text !== 'string') return `change ${i} has no text`;
    const range = (c as { range?: unknown }).range;
    if (range !== undefined && !isRange(range)) return `change ${i} has an invalid range ${JSON.stringify(range)} (positions are non-negative integers)`;
  }
  return undefined;
}

/** Whether position `a` is at or before `b`. */
export function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** A value as a log shows it: JSON, cut at 200 characters. */
export function preview(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
