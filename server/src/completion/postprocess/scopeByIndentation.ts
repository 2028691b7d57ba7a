import type { Filter } from './context';
import { indentOf } from './text';

/**
 * Stop at the end of the cursor's scope: a line left of the cursor's block ends it; so does a
 * sibling line after a one-line completion of a line that already had code (the model moving on to
 * the next statement), unless the completed line opens a block.
 */
export const scopeByIndentation: Filter = (text, { linePrefix, lineHasCode }) => {
  const lines = text.split('\n');
  const opensBlock = /[:{([]\s*$/.test(linePrefix + lines[0]);
  const base = indentOf(linePrefix);
  const kept: string[] = [lines[0]];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === '') {
      kept.push(l);
      continue;
    }
    const ind = indentOf(l);
    if (ind < base) break;
    if (ind === base && lineHasCode && !opensBlock && kept.length === 1) break;
    kept.push(l);
  }
  return kept.join('\n');
};
