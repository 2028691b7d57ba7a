// Post-processing of a raw model completion before it is shown, as an ordered list of small
// filters (like tabby-agent's): each takes the text and what surrounds the cursor and returns the
// text to keep. Order matters: scope and repetition are decided on whole lines first, then the
// text is fitted to what follows the cursor. Golden cases in index.test.ts (cursor marked ║).
import { cutDuplicateCloser } from './cutDuplicateCloser';
import { cutRepetition } from './cutRepetition';
import { dedupeIndentation } from './dedupeIndentation';
import { limitLines } from './limitLines';
import { normalizeLineEndings } from './normalizeLineEndings';
import { scopeByIndentation } from './scopeByIndentation';
import { stopAtNextDocumentLine } from './stopAtNextDocumentLine';
import { trimEnd } from './trimEnd';
import { trimLineEnds } from './trimLineEnds';
import { trimLineOverlap } from './trimLineOverlap';
import type { Filter, PostprocessContext } from './context';

export type { Filter, PostprocessContext } from './context';

export interface PostprocessOptions {
  /** Most lines a suggestion may have (default 16). */
  maxLines?: number;
}

/** The filters, in the order they run. */
export const FILTERS: readonly Filter[] = [
  normalizeLineEndings,
  scopeByIndentation,
  cutRepetition,
  limitLines,
  stopAtNextDocumentLine,
  trimEnd,
  cutDuplicateCloser,
  trimLineOverlap,
  trimLineEnds,
  dedupeIndentation,
];

/**
 * Clean a raw completion inserted at the cursor between `prefix` and `suffix` (the document text
 * before and after it). Returns '' when nothing worth showing is left.
 */
export function postprocess(raw: string, prefix: string, suffix: string, options: PostprocessOptions = {}, filters: readonly Filter[] = FILTERS): string {
  const linePrefix = prefix.slice(prefix.lastIndexOf('\n') + 1);
  const ctx: PostprocessContext = { prefix, suffix, linePrefix, lineHasCode: linePrefix.trim().length > 0, maxLines: options.maxLines ?? 16 };
  let text = raw;
  for (const filter of filters) {
    text = filter(text, ctx);
    if (!text.trim()) return '';
  }
  return text;
}
