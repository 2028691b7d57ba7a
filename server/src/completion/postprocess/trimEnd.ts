import type { Filter } from './context';

/** No trailing blank lines or spaces at the end of the suggestion. */
export const trimEnd: Filter = (text) => text.replace(/\s+$/, '');
