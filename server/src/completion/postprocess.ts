// Post-processing of a raw model completion before it is shown: stop at the end of the current
// scope (indentation, unbalanced closing brackets), drop text that duplicates what follows the
// cursor, cut repetition. Pure functions over strings (golden tests in postprocess.test.ts).

export interface PostprocessOptions {
  /** Most lines a suggestion may have (default 16). */
  maxLines?: number;
}

const OPEN = '([{';
const CLOSE = ')]}';

function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n++;
    else if (ch === '\t') n += 4;
    else break;
  }
  return n;
}

/** Text of the cursor's line before the cursor. */
function currentLinePrefix(prefix: string): string {
  return prefix.slice(prefix.lastIndexOf('\n') + 1);
}

/** Unclosed brackets opened on the cursor's line before the cursor (innermost last). */
function openOnLine(linePrefix: string): string[] {
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < linePrefix.length; i++) {
    const ch = linePrefix[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (OPEN.includes(ch)) stack.push(ch);
    else if (CLOSE.includes(ch) && stack.length && OPEN.indexOf(stack[stack.length - 1]) === CLOSE.indexOf(ch)) stack.pop();
  }
  return stack;
}

/**
 * Cut at a closing bracket that closes something opened before the completion when the text after
 * the cursor already starts with that bracket (the model re-typed it), and keep brackets balanced
 * within the completion otherwise.
 */
function cutDuplicateCloser(text: string, suffix: string): string {
  const next = suffix.replace(/^[ \t]*/, '')[0];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote || ch === '\n') quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) {
      if (depth === 0) {
        // closes a bracket opened before the cursor
        if (next === ch) return text.slice(0, i);
        continue;
      }
      depth--;
    }
  }
  return text;
}

/** Drop the end of the completion's first line when the rest of the cursor's line already has it. */
function trimLineOverlap(text: string, suffix: string): string {
  const restOfLine = suffix.slice(0, suffix.indexOf('\n') < 0 ? suffix.length : suffix.indexOf('\n')).trimEnd();
  // only closing brackets: cutDuplicateCloser decides (a balanced "f(x)" before ")" is right)
  if (!restOfLine.trim() || /^[\s)\]};,]*$/.test(restOfLine)) return text;
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  // the first line ends with the text already after the cursor: keep only what is new
  if (first.trimEnd().endsWith(restOfLine.trim())) {
    const cut = first.trimEnd().length - restOfLine.trim().length;
    return first.slice(0, cut).replace(/[ \t]+$/, first.slice(0, cut).trim() ? '' : '');
  }
  return text;
}

/** Cut where the completion starts repeating: the same line twice in a row, or a repeated block of 2-4 lines. */
function cutRepetition(lines: string[]): string[] {
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.length >= 4 && t === lines[i - 1].trim()) return lines.slice(0, i);
    for (let k = 2; k <= 4 && 2 * k <= i + 1; k++) {
      let same = true;
      for (let j = 0; j < k && same; j++) same = lines[i - j].trim() === lines[i - k - j].trim();
      if (same && lines.slice(i - k + 1, i + 1).some((l) => l.trim().length >= 4)) return lines.slice(0, i - k + 1);
    }
  }
  return lines;
}

/**
 * Clean a raw completion inserted at the cursor between `prefix` and `suffix` (the document text
 * before and after it). Returns '' when nothing worth showing is left.
 */
export function postprocess(raw: string, prefix: string, suffix: string, options: PostprocessOptions = {}): string {
  const maxLines = options.maxLines ?? 16;
  let text = raw.replace(/\r\n/g, '\n');
  const linePrefix = currentLinePrefix(prefix);
  const lineHasCode = linePrefix.trim().length > 0;
  // Scope by indentation: lines after the first may not go left of the block the cursor is in.
  const opensBlock = /[:{([]\s*$/.test(linePrefix + text.split('\n')[0]);
  const base = indentOf(linePrefix);
  let lines = text.split('\n');
  const kept: string[] = [lines[0]];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '') {
      kept.push(l);
      continue;
    }
    const ind = indentOf(l);
    // a line left of the cursor's block ends the scope; so does a sibling line after a one-line
    // completion of a line that already had code (the model moving on to the next statement)
    if (ind < base) break;
    if (ind === base && lineHasCode && !opensBlock && kept.length === 1) break;
    kept.push(l);
  }
  lines = cutRepetition(kept);
  if (lines.length > maxLines) lines = lines.slice(0, maxLines);
  // the line after the cursor in the document, re-typed by the model: stop before it
  const suffixLines = suffix.split('\n');
  const nextDocLine = (suffixLines.length > 1 ? suffixLines.slice(1) : []).find((l) => l.trim().length > 0)?.trim();
  if (nextDocLine && nextDocLine.length >= 3) {
    const at = lines.findIndex((l, i) => i > 0 && l.trim() === nextDocLine);
    if (at > 0) lines = lines.slice(0, at);
  }
  text = lines.join('\n').replace(/\s+$/, '');
  text = cutDuplicateCloser(text, suffix);
  text = trimLineOverlap(text, suffix);
  // unbalanced openers are fine (the user keeps typing); trailing spaces are not
  text = text.replace(/[ \t]+$/gm, '');
  if (!text.trim()) return '';
  // When the current line has only indentation, a completion that starts with the same indentation again doubles it.
  if (!lineHasCode && linePrefix.length > 0 && text.startsWith(linePrefix) && indentOf(text) >= 2 * linePrefix.length) text = text.slice(linePrefix.length);
  return text;
}

/** Whether brackets opened on the cursor's line are still open (exported for the filter's checks). */
export function unclosedOnLine(prefix: string): string[] {
  return openOnLine(currentLinePrefix(prefix));
}
