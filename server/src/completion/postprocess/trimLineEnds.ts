import type { Filter } from './context';

/** No trailing spaces on any line (unbalanced openers are fine: the user keeps typing). */
export const trimLineEnds: Filter = (text) => text.replace(/[ \t]+$/gm, '');
