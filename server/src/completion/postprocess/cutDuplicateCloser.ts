import type { Filter } from './context';
import { CLOSE, OPEN } from './text';

/**
 * Cut at a closing bracket that closes something opened before the completion when the text after
 * the cursor already starts with that bracket (the model re-typed it); brackets balanced within
 * the completion stay.
 */
export const cutDuplicateCloser: Filter = (text, { suffix }) => {
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
};
