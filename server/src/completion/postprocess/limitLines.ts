import type { Filter } from './context';

/** At most `maxLines` lines. */
export const limitLines: Filter = (text, { maxLines }) => {
  const lines = text.split('\n');
  return lines.length > maxLines ? lines.slice(0, maxLines).join('\n') : text;
};
