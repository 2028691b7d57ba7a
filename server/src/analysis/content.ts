// What is not analysed, for the editor and the CLI alike: text over the size limit, binary
// content, text that is not source code (random bytes, control characters, invalid UTF-8 decoded
// to U+FFFD), and minified or generated code. Decided from a few statistics of the text, which an
// open document keeps up to date through its edits (documents.ts) without rescanning; only a text
// whose statistics suggest minified code is scanned once more, to see whether its long lines are code.

/** What the guards look at, kept up to date through edits without rescanning the text. */
export interface ContentStats {
  chars: number;
  lines: number;
  /** NUL characters. */
  nul: number;
  /** Characters that do not occur in source text: C0 controls other than \t \n \v \f \r, DEL, U+FFFD (bytes that were not UTF-8). */
  nonText: number;
}

// eslint-disable-next-line no-control-regex
const NON_TEXT = /[\x00-\x08\x0e-\x1f\x7f\ufffd]/g;

export function countNonText(s: string): { nul: number; nonText: number } {
  let nul = 0;
  let nonText = 0;
  for (const m of s.matchAll(NON_TEXT)) {
    nonText++;
    if (m[0] === '\u0000') nul++;
  }
  return { nul, nonText };
}

export function contentStats(text: string): ContentStats {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return { chars: text.length, lines, ...countNonText(text) };
}

/** Share of non-text characters above which a file is not taken for source code. */
export const NON_TEXT_RATIO = 0.05;

/** Lines longer than this may be minified code. */
const LONG_LINE = 300;
/**
 * Statement and block punctuation (`;`, `{`, `}`) per character from which a long line reads as
 * code: minified JavaScript has one every 10–40 characters, a data literal of numbers or strings
 * (`DATA = [0, 1, 2, …]`, a base64 string) next to none.
 */
const CODE_PUNCTUATION = 0.02;

/** Characters in lines longer than LONG_LINE that look like code (minified), not data. */
export function minifiedChars(text: string): number {
  let out = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end - start > LONG_LINE) {
      let punctuation = 0;
      for (let i = start; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c === 59 || c === 123 || c === 125) punctuation++;
      }
      if (punctuation >= (end - start) * CODE_PUNCTUATION) out += end - start;
    }
    start = end + 1;
  }
  return out;
}

/**
 * Why a text with these statistics is not analysed, or undefined when it is. `text`, when given,
 * refines the minified test (only for a text the statistics already suspect: one scan of it): the
 * long lines must look like code and hold most of the text, so that one long data line (a 100k
 * literal) does not hide the ordinary code around it.
 */
export function skipReasonFor(s: ContentStats, maxChars: number, text?: string): string | undefined {
  if (s.chars > maxChars) return `${Math.round(s.chars / 1024)} KB is over the ${Math.round(maxChars / 1024)} KB limit (setting hotpath.maxFileSizeKB)`;
  if (s.nul > 0) return 'it looks binary (it contains NUL characters)';
  if (s.nonText >= 16 && s.nonText > s.chars * NON_TEXT_RATIO) {
    return `it does not look like source code (${((100 * s.nonText) / s.chars).toFixed(0)}% of its characters are control characters or bytes that are not UTF-8)`;
  }
  // Minified or generated code: a sizeable file whose lines average hundreds of characters. Nobody
  // acts on efficiency findings inside a bundle, and one giant unit would be re-analysed on every
  // keystroke.
  if (s.chars >= 32 * 1024 && s.chars / s.lines > LONG_LINE && (text === undefined || minifiedChars(text) > s.chars / 2)) {
    return `it looks minified or generated (its lines average over ${LONG_LINE} characters${text === undefined ? '' : ', most of its text in long lines of code'})`;
  }
  return undefined;
}

/** Why a text is not analysed, or undefined when it is (the editor and the CLI use the same guards). */
export function skipReason(text: string, maxChars: number): string | undefined {
  return skipReasonFor(contentStats(text), maxChars, text);
}

