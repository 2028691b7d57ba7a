// Small text helpers the filters share.

export const OPEN = '([{';
export const CLOSE = ')]}';

/** Width of a line's indentation (a tab counts 4). */
export function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n++;
    else if (ch === '\t') n += 4;
    else break;
  }
  return n;
}
