// Ranges of text the incremental analysis tracks (analysis/document.ts): merged while typing,
// shifted by edits.
import type { TextRange } from '../parsing';

export function intersects(r: TextRange, start: number, end: number): boolean {
  return r.startIndex <= end && r.endIndex >= start;
}

/** Add a range to a list, merged with those it touches (a burst of typing stays one range). */
export function addRange(ranges: TextRange[], r: TextRange): TextRange[] {
  const out: TextRange[] = [];
  let merged = r;
  for (const x of ranges) {
    if (intersects(x, merged.startIndex, merged.endIndex)) merged = { startIndex: Math.min(x.startIndex, merged.startIndex), endIndex: Math.max(x.endIndex, merged.endIndex) };
    else out.push(x);
  }
  out.push(merged);
  return out;
}

export function shiftRange(r: TextRange, start: number, oldEnd: number, delta: number): TextRange {
  const move = (i: number) => (i >= oldEnd ? i + delta : i > start ? start : i);
  return { startIndex: move(r.startIndex), endIndex: Math.max(move(r.endIndex), move(r.startIndex)) };
}

const WHITESPACE = /\s/;

/** Where the block comment (a JSDoc) right above offset `start` of `text` begins, or `start` when there is none. */
export function commentAbove(text: string, start: number): number {
  // Back over the whitespace before it (at most 200 characters), without a slice or a regular expression per unit.
  let i = start;
  while (i > Math.max(0, start - 200) && WHITESPACE.test(text[i - 1])) i--;
  const open = i >= 2 && text.slice(i - 2, i) === '*/' ? text.lastIndexOf('/*', i - 2) : -1;
  return open === -1 ? start : open;
}
