// Valid Python that tree-sitter-python 0.23 cannot read (analysis/grammarGaps.ts), each with a rewrite
// of the same length it can.
import type { GrammarGap } from '../../analysis/grammarGaps';

/** PEP 646 unpacking in a subscript or a `*args` annotation: `tuple[*Ts]`, `tuple[*(int, str)]` (typedload), `data[*[0, 0]]` (mesa), `*args: *Ts`. */
const starUnpacking: GrammarGap = {
  construct: 'unpacking in a subscript or a `*args` annotation (`tuple[*Ts]`, PEP 646)',
  valid: 'Python 3.11',
  find: /(?<=\[\s*|\[[^\]\n]*,\s*|\*\w+\s*:\s*)\*(?=\s*[\w([])/g,
  patch: () => ' ',
};

/** The width of a line's indentation as tree-sitter-python's scanner counts it (a tab is 8). */
const width = (indent: string) => [...indent].reduce((n, c) => n + (c === '\t' ? 8 : 1), 0);

/** Brackets a line opens and does not close (string literals and a comment left out). */
function openBrackets(line: string): number {
  const code = line.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""').replace(/#.*/, '');
  let depth = 0;
  for (const c of code) depth += '([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0;
  return depth;
}

/**
 * A line inside brackets continued after an operator on a line indented less than its block
 * (dnstwist: `\tp_cli(FG_RND + ST_BRI +` then `r\'\'\'…` at column 0): Python joins the lines, but the
 * grammar's scanner reads a dedent there, since no closing bracket may follow the operator. Only when
 * the operator's own line opens a bracket it does not close, so that `x = a +` then a dedented `b`
 * outside brackets stays a syntax error. The rewrite joins the lines (each line break a space).
 */
const dedentedContinuation: GrammarGap = {
  construct: 'a continuation line inside brackets indented less than its block (implicit line joining)',
  find: /^([ \t]*)(\S[^\n]*)\n(?=([ \t]*)\S)/gm,
  patch: (m, [indent = '', line = '', next = '']) => {
    const ends = /(?:[-+*/%@&|^<>=~.:]|\b(?:and|or|not|in|is|if|else|await))[ \t]*\r?$/.test(line);
    return ends && width(next) < width(indent) && openBrackets(line) > 0 ? m.replace(/[\r\n]/g, ' ') : m;
  },
};

/** `f'{self.planes,* [s[0] for s in self.rescale]}B'` (pyglet's png.py): a starred list or parenthesized expression in an f-string's replacement field, a tuple display there. */
const fStringStarred: GrammarGap = {
  construct: "a starred item in an f-string's replacement field (`f'{a, *[b]}'`)",
  valid: 'Python 3.6',
  find: /(?<=\b(?:[rR]?[fF]|[fF][rR])['"][^'"\n]*\{[^{}'"\n]*,\s*)\*(?=\s*[([])/g,
  patch: () => ' ',
};

export const pythonGrammarGaps: readonly GrammarGap[] = [starUnpacking, dedentedContinuation, fStringStarred];
