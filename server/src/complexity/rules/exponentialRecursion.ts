// HP302: recursion with two or more self-calls per level on a decremented input, without memoization.
import type { UnitFacts } from '../../analysis/facts';
import type { Fix, Rule, RuleContext } from '../../analysis/rule';
import type { SyntaxNode } from '../../parsing';
import type { FunctionEstimate } from '../estimate';
import { legendText } from './shared';
import { deliberateVariant, enumeratesInto } from '../slowOnPurpose';
import { fixtures } from './exponentialRecursion.fixtures';

/** The language's memoization fix (Python: `@functools.cache`), for a function whose arguments are numbers. */
function cacheFix(ctx: RuleContext<UnitFacts>, est: FunctionEstimate): Fix | undefined {
  const adapter = ctx.facts.complexity;
  if (!adapter.memoizeFix || est.shape.className !== null || !est.recursion?.arithmeticArgs) return undefined;
  if (est.shape.params.some((p) => p.kind === 'list' || p.kind === 'dict' || p.kind === 'set')) return undefined;
  return adapter.memoizeFix(ctx.source, est.shape);
}

export const exponentialRecursion: Rule<UnitFacts> = {
  code: 'HP302',
  name: 'exponential-recursion',
  languages: ['python', 'javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: 'The function calls itself two or more times per level on an input that shrinks by a constant: exponential time.',
  cost: 'O(2ⁿ) → O(n) with memoization',
  docs: `## What it does
Flags a recursive function that makes two or more calls to itself on one path through its body, each
on an input that only shrinks by a constant (\`n - 1\`, \`n - 2\`, \`i + 1\` towards a bound, \`xs[1:]\`),
when it is not memoized (no \`@functools.cache\` / \`@lru_cache\`, no memo table checked in the body).
The same subproblems are solved again and again: the call tree has about 2ⁿ nodes.

Recursion that halves its input (binary search, merge sort) or walks the parts of a structure
(\`node.left\`, \`node.right\`) is not flagged: it is O(log n), O(n log n) or O(n).

## Why
\`fib(40)\` makes over 300 million calls; with a cache it makes 41.

## Example
\`\`\`python
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
\`\`\`
## Fix
\`\`\`python
import functools

@functools.cache
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
\`\`\`
The quick fix (Python) adds \`@functools.cache\` and the import. It is offered when every argument of
the recursive calls is arithmetic on a parameter, so the arguments are numbers (hashable). In
JavaScript, keep a \`Map\` of results keyed by the argument.`,
  fixtures,
  create(ctx) {
    return {
      ':unit'() {
      if (!ctx.facts.estimatesNeeded()) return;
      for (const est of ctx.facts.estimates()) {
        const r = est.recursion;
        if (!r || r.memoized || r.reduction !== 'dec' || r.calls < 2 || r.calls === Infinity) continue;
        // Numbers as arguments: the same subproblems recur and a cache removes the blow-up. With
        // collections or objects as arguments (a backtracking search over fresh lists), repeated
        // subproblems are not visible and a cache keyed on them does not apply: say so, lower.
        const memoizable = r.memoizable;
        const into = memoizable ? enumeratesInto(est, r.callNodes, ctx.facts.complexity.functionTypes) : null;
        const variant = !memoizable ? null : into ? `it adds every complete result to \`${into}\`, so it enumerates its outputs, and no cache makes it cheaper than their number` : deliberateVariant(est.name, ctx.module.bindings);
        ctx.report({
          node: est.shape.nameNode ?? est.shape.node,
          severity: memoizable && !variant ? 'warning' : 'information',
          message: memoizable
            ? `\`${est.name}\` is ${est.display}: ${r.calls} recursive calls per level on an input that shrinks by a constant, without memoization${legendText(est)}${variant ? `; ${variant}` : ''}`
            : `\`${est.name}\` is ${est.display}: ${r.calls} recursive calls per level on an input that shrinks by a constant${legendText(est)}; an exhaustive search: if subproblems repeat, memoize on a hashable key, else prune`,
          related: r.callNodes.map((n) => ({ node: n, message: 'recursive call' })),
          fix: cacheFix(ctx, est),
        });
      }
      },
    };
  },
};
