// tree-sitter-python 0.25's external scanner looks past every following comment line at each line
// end of a run of comment lines, so a run of n of them costs O(n²) characters read: 1,000 commented
// lines of 100 characters after code took 2.1 s in the native binding, 5,500 took 193 s (a file that
// ends in a long commented-out block; upstream tree-sitter/tree-sitter-python#245, not merged). Blank
// lines cost nothing there. So the parser is given the text with long runs of whole-line comments
// turned into spaces: the same length and the same line ends, so every offset, position and
// incremental edit holds, and the code parses as before. Only those comment nodes are missing from
// the tree (no rule reads comment nodes; suppressions and snapshots read the real text).

import type { GrammarName } from './parser';

/** What each grammar's parser is given for a text: the text itself unless a grammar's scanner needs a workaround. */
const INPUT: Partial<Record<GrammarName, (text: string) => string>> = { python: blankCommentRuns };

/** The text a grammar's parser is given (the same length and line ends as `text`). */
export function parserInput(grammar: GrammarName, text: string): string {
  return INPUT[grammar]?.(text) ?? text;
}

/** Runs of at least this many consecutive whole-line comments are blanked (shorter runs cost little). */
export const COMMENT_RUN_LINES = 32;

/**
 * The text with each run of ≥ COMMENT_RUN_LINES whole-line comments blanked, or the text itself when
 * there is none. Strings are lexed, so a `#` line inside a triple-quoted string is left alone.
 */
export function blankCommentRuns(text: string): string {
  return mayHoldCommentRun(text) ? lexCommentRuns(text) : text;
}

/** blankCommentRuns without the line pre-check: lexes every character (exported for the bench). */
export function lexCommentRuns(text: string): string {
  // The comments (from `#` to the line end) of every long run; indentation is never touched (a tab
  // is not a space to Python's tokenizer, and the next code line's indentation is the block's).
  const blank: [number, number][] = [];
  let run: [number, number][] = [];
  let lineHasCode = false;
  let i = 0;
  const n = text.length;
  const endRun = () => {
    if (run.length >= COMMENT_RUN_LINES) blank.push(...run);
    run = [];
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      lineHasCode = false;
      i++;
    } else if (c === 0x20 || c === 0x09 || c === 0x0c) {
      i++;
    } else if (c === 0x23 /* # */) {
      let end = i;
      while (end < n && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
      if (lineHasCode) endRun();
      else run.push([i, end]);
      i = end;
    } else if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      endRun();
      lineHasCode = true;
      i = skipString(text, i);
    } else {
      endRun();
      lineHasCode = true;
      i++;
    }
  }
  endRun();
  if (blank.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of blank) {
    out += text.slice(at, start) + ' '.repeat(end - start);
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Whether the text has COMMENT_RUN_LINES lines starting with `#` (after whitespace) with only blank
 * lines between them: a run the lexer blanks is one, so a text without one is given as it is without
 * lexing every character (the lexer cost ~4× this line scan on the standard library, and it runs on
 * every parse, each keystroke's included). A text with a CR is lexed (its line ends are not only LF).
 */
export function mayHoldCommentRun(text: string): boolean {
  if (text.includes('\r')) return true;
  let run = 0;
  for (let i = 0; i < text.length; ) {
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x09 || c === 0x0c) c = text.charCodeAt(++i);
    if (c === 0x23 /* # */ && ++run >= COMMENT_RUN_LINES) return true;
    else if (c !== 0x23 && c !== 0x0a && i < text.length) run = 0;
    const end = text.indexOf('\n', i);
    if (end < 0) break;
    i = end + 1;
  }
  return false;
}

/** The index just past the string literal starting at `start` (a quote), triple-quoted or not. */
function skipString(text: string, start: number): number {
  const q = text[start];
  const triple = text.startsWith(q + q + q, start);
  const close = triple ? q + q + q : q;
  let i = start + close.length;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (text.startsWith(close, i)) return i + close.length;
    else if (!triple && (c === '\n' || c === '\r')) return i; // an unterminated one-line string ends at the line
    else i++;
  }
  return text.length;
}
