import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { PythonFacts } from '../facts';
import { nameInfo } from '../scope';
import { addImport, functionCall, py } from '../syntax';

const ITERTOOLS_IMPORT = /^import\s+itertools\s*$/m;

export const quadraticSumOfLists: Rule<PythonFacts> = {
  code: 'HP116',
  name: 'quadratic-sum-of-lists',
  languages: ['python'],
  // Information: on code nobody here wrote, 5 of 6 sampled findings summed a handful of lists (bench/precision.md).
  severity: 'information',
  summary: '`sum(lists, [])` concatenates lists pairwise, copying the growing result every time.',
  cost: 'O(n²) → O(n)',
  covers: [],
  docs: `## What it does
Flags \`sum(items, [])\` and \`sum(items, start=[])\` (also with \`()\` as the start): summing sequences. A
literal list of summands (\`sum([a, b, c], [])\`) is a constant number of concatenations and is not flagged.

## Why
\`sum\` adds left to right: \`(([] + a) + b) + c\`. Every \`+\` builds a new list and copies everything
accumulated so far, so flattening k lists of n elements in all costs O(n·k), quadratic when the lists
are short. \`itertools.chain.from_iterable\` (or a comprehension) copies each element once.

## Example
\`\`\`python
def flatten(groups):
    return sum(groups, [])
\`\`\`
## Fix
\`\`\`python
import itertools

def flatten(groups):
    return list(itertools.chain.from_iterable(groups))
\`\`\`
The quick fix does exactly this (for the \`[]\` start; \`chain\` also accepts tuples and other iterables where
\`sum\` would raise \`TypeError\`, the only difference).`,
  fixtures: [
    py('flatten with sum', `def flatten(groups):
    return sum(groups, [])
`, [2], { fixed: `import itertools
def flatten(groups):
    return list(itertools.chain.from_iterable(groups))
`, call: 'flatten([[1, 2], [3], []])' }),
    py('keyword start, tuple start', `def f(groups, pairs):
    a = sum(groups, start=[])
    b = sum(pairs, ())
    return a, b
`, [2, 3]),
    py('numbers and other starts are fine; a shadowed sum; a literal list of summands', `def f(xs, vs, groups):
    total = sum(xs)
    parts = sum([["("], list(xs), [")"]], [])
    offset = sum(vs, 10)
    return total, offset

def g(groups, sum):
    return sum(groups, [])
`, []),
  ],
  create(ctx) {
    const visit = (node: SyntaxNode) => {
      const fc = functionCall(node);
      if (!fc || fc.name !== 'sum') return;
      const argList = node.child('arguments')!;
      const all = argList.namedChildren.filter((c) => c.type !== 'comment');
      const startKw = all.find((c) => c.type === 'keyword_argument' && c.child('name')?.text === 'start');
      const start = fc.args.length === 2 ? fc.args[1] : startKw?.child('value') ?? null;
      if (!start || fc.args.length < 1 || all.length !== 2) return;
      // a literal list of summands is a constant number of concatenations: O(n)
      if (['list', 'tuple', 'set'].includes(fc.args[0].type)) return;
      const emptyList = start.type === 'list' && start.namedChildren.length === 0;
      const emptyTuple = start.type === 'tuple' && start.namedChildren.length === 0;
      if (!emptyList && !emptyTuple) return;
      const fn = node.child('function')!;
      if (ctx.module.bindings.has('sum') || nameInfo(ctx, 'sum', fn).origin !== 'module') return;
      let fix;
      // `itertools` is free, or already the module (the import the fix adds)
      const itertoolsFree = !ctx.module.bindings.has('itertools') || (ctx.module.bindings.get('itertools') === 'module' && ITERTOOLS_IMPORT.test(ctx.source));
      if (emptyList && fc.args[0].type !== 'list_splat' && itertoolsFree && nameInfo(ctx, 'itertools', fn).origin === 'module') {
        const imp = addImport(ctx.source, 'import itertools', ITERTOOLS_IMPORT);
        fix = {
          title: 'Flatten with itertools.chain.from_iterable',
          replacements: [{ startIndex: node.startIndex, endIndex: node.endIndex, newText: `list(itertools.chain.from_iterable(${fc.args[0].text}))` }, ...(imp ? [imp] : [])],
        };
      }
      ctx.report({
        node,
        message: `\`sum(…, ${start.text})\` concatenates pairwise, copying the growing result every time: O(n²); use itertools.chain.from_iterable, O(n)`,
        fix,
      });
    };
    return { call: visit };
  },
};
