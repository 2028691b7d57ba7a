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

export const pythonGrammarGaps: readonly GrammarGap[] = [starUnpacking];
