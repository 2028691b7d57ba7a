import type { Filter } from './context';
import { indentOf } from './text';

/** When the cursor's line has only indentation, a completion that starts with that indentation again would double it. */
export const dedupeIndentation: Filter = (text, { linePrefix, lineHasCode }) => {
  if (!lineHasCode && linePrefix.length > 0 && text.startsWith(linePrefix) && indentOf(text) >= 2 * linePrefix.length) return text.slice(linePrefix.length);
  return text;
};
