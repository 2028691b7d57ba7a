import type { Rule } from '../../../analysis/rule';
import type { SyntaxNode } from '../../../parsing';
import type { EcmascriptFacts } from '../facts';
import { iterationCallOf, loopRelated } from '../loops';
import { scalingLoops, sizeVerdict } from '../sizes';
import { isFunction, parameterNames, unwrap } from '../syntax';

/** `recv.concat(...)` → recv; `[].concat(recv, ...)` → recv. */
function concatBase(call: SyntaxNode): SyntaxNode | null {
  const member = unwrap(call.child('function'));
  if (member?.type !== 'member_expression' || member.child('property')?.text !== 'concat') return null;
  const recv = unwrap(member.child('object'));
  if (recv?.type === 'array' && recv.namedChildren.length === 0) return unwrap(call.child('arguments')?.namedChildren[0] ?? null);
  return recv;
}

export const concatInLoop: Rule<EcmascriptFacts> = {
  code: 'HP207',
  name: 'concat-in-loop',
  languages: ['javascript', 'typescript', 'tsx'],
  severity: 'warning',
  summary: 'An array is rebuilt with `acc = acc.concat(x)` on every loop iteration or `reduce` step.',
  cost: 'O(n²) → O(n)',
  covers: [],
  docs: `
**What.** \`concat\` returns a new array with a copy of every element of the receiver. Used to grow an
accumulator (\`acc = acc.concat(x)\` in a loop, or \`(acc, x) => acc.concat(x)\` in \`reduce\`) it copies
the whole accumulator each time.

**Cost.** O(n²) element copies for n steps; \`push\` onto one array is O(n) in all.

Reported when the accumulator is known to be an array (declared from an array, annotated, or the
\`reduce\` starts from \`[]\`); \`s = s.concat(t)\` on strings is not reported (V8 joins strings lazily).

**Example.**
\`\`\`js
let all = [];
for (const page of pages) all = all.concat(page.items);
const flat = lists.reduce((acc, l) => acc.concat(l), []);
\`\`\`
**Fix.** \`for (const page of pages) all.push(...page.items)\` (or an inner loop for very large
pages), and \`lists.flat()\`. No quick fix: \`concat\` flattens array arguments one level and
\`push\` does not, so the mechanical rewrite depends on what is appended.
`,
  fixtures: [
    {
      name: 'a loop over an array declared as a literal of four pairs and narrowed only by its own .filter(): at most four concats, bounded by construction: a hint (issue 13 round 15, in sample: bezier-js pairiteration, wrong by both); a push of spread input or a concat onto it voids the bound, and so does rebinding it by destructuring or a for…of head (review 14 S5) (information kept)',
      language: 'javascript',
      code: `export function pairiteration(c1, c2, threshold) {
  const cc1 = c1.split(0.5);
  const cc2 = c2.split(0.5);
  let pairs = [
    { left: cc1.left, right: cc2.left },
    { left: cc1.left, right: cc2.right },
    { left: cc1.right, right: cc2.right },
    { left: cc1.right, right: cc2.left },
  ];
  pairs = pairs.filter((pair) => overlap(pair.left, pair.right));
  let results = [];
  pairs.forEach((pair) => {
    results = results.concat(pairiteration(pair.left, pair.right, threshold));
  });
  return results;
}

export function pairsGrown(c1, c2, threshold, more) {
  let pairs = [{ left: c1, right: c2 }];
  pairs = pairs.filter((pair) => overlap(pair.left, pair.right));
  pairs.push(...more);
  let results = [];
  pairs.forEach((pair) => {
    results = results.concat(pairsGrown(pair.left, pair.right, threshold, []));
  });
  return results;
}

export function pairsMapped(c1, c2, threshold, more) {
  let pairs = [{ left: c1, right: c2 }];
  pairs = pairs.concat(more);
  let results = [];
  pairs.forEach((pair) => {
    results = results.concat(pairsMapped(pair.left, pair.right, threshold, []));
  });
  return results;
}

export function pairsDestructured(c1, c2, items) {
  var pairs = [{ left: c1, right: c2 }, { left: c2, right: c1 }];
  pairs = pairs.filter((pair) => overlap(pair.left, pair.right));
  [pairs] = [items];
  var results = [];
  pairs.forEach((pair) => {
    results = results.concat(pairsDestructured(pair.left, pair.right, []));
  });
  return results;
}

export function pairsShorthand(c1, c2, items) {
  var pairs = [{ left: c1, right: c2 }, { left: c2, right: c1 }];
  pairs = pairs.filter((pair) => overlap(pair.left, pair.right));
  ({ pairs } = { pairs: items });
  var results = [];
  pairs.forEach((pair) => {
    results = results.concat(pairsShorthand(pair.left, pair.right, []));
  });
  return results;
}

export function pairsForOf(c1, c2, items) {
  var pairs = [{ left: c1, right: c2 }, { left: c2, right: c1 }];
  pairs = pairs.filter((pair) => overlap(pair.left, pair.right));
  for (pairs of [items]) break;
  var results = [];
  pairs.forEach((pair) => {
    results = results.concat(pairsForOf(pair.left, pair.right, []));
  });
  return results;
}
`,
      lines: [13, 24, 34, 45, 56, 67],
      severities: ['hint', 'information', 'information', 'information', 'information', 'information'],
    },
    {
      name: 'concat accumulation in for…of and in reduce — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'javascript',
      code: `function flatten(pages, lists) {
  let all = [];
  for (const page of pages) all = all.concat(page.items);
  const flat = lists.reduce((acc, l) => acc.concat(l), []);
  return [all, flat];
}
`,
      lines: [3, 4],
      severity: 'information',
    },
    {
      name: 'typed accumulator with [].concat(acc, x) in a while loop — information since issue 13 round 6: growth the code shows, but not a work queue that a while loop drains',
      language: 'typescript',
      code: `export function gather(next: () => number[] | null): number[] {
  let out: number[] = [];
  let chunk = next();
  while (chunk) {
    out = [].concat(out, chunk);
    chunk = next();
  }
  return out;
}
`,
      lines: [5],
      severity: 'information',
    },
    {
      name: 'fine: string concat, concat once, concat into another variable',
      language: 'javascript',
      code: `function ok(parts, xs, ys) {
  let s = '';
  for (const p of parts) s = s.concat(p);
  const both = xs.concat(ys);
  for (const p of parts) { const row = both.concat(p); console.log(row); }
  return parts.reduce((acc, p) => acc.concat(p), '');
}
`,
      lines: [],
    },
    {
      name: 'sizes not visible: splits from a call, paths destructured out of an options object (issue 13: mathjs simplify, chevrotain errors; information)',
      language: 'javascript',
      code: `function matchAll(rule, node) {
  const splits = getSplits(node);
  let matches = [];
  for (let i = 0; i < splits.length; i++) matches = matches.concat(match(rule, splits[i]));
  return matches;
}
function describe({ expectedPathsPerAlt }) {
  const all = expectedPathsPerAlt.reduce((result, paths) => result.concat(paths), []);
  return all.map(String).join("\\n");
}
`,
      lines: [4, 8],
      severity: 'information',
    },
  ],
  create(ctx) {
    const facts = ctx.facts;
    const visit = (node: SyntaxNode) => {
      if (isFunction(node)) {
        const it = iterationCallOf(node);
        if (!it || (it.method !== 'reduce' && it.method !== 'reduceRight')) return;
        const acc = parameterNames(node)[0];
        const init = unwrap(it.call.child('arguments')?.namedChildren[1] ?? null);
        if (!acc || init?.type !== 'array') return;
        const body = node.child('body');
        if (!body) return;
        for (const c of body.descendants()) {
          if (c.type !== 'call_expression') continue;
          const base = concatBase(c);
          if (base?.type !== 'identifier' || base.text !== acc) continue;
          let inner = false;
          for (const a of c.ancestors()) {
            if (a === node) break;
            if (isFunction(a)) inner = true;
          }
          if (inner) continue;
          const loops = scalingLoops(ctx.facts.loops(c), ctx.module);
          if (loops.length === 0) continue;
          const verdict = sizeVerdict(c, loops, null, facts);
          ctx.report({
            node: c,
            severity: verdict.severity,
            message: `\`${acc}.concat()\` copies the whole accumulator on every \`${it.method}\` step: O(n²); push onto it (or use \`flat()\`)${verdict.note}`,
            related: [{ node: it.member, message: `the \`${it.method}\` whose accumulator is copied` }],
          });
        }
        return;
      }
      if (node.type !== 'assignment_expression') return;
      const left = unwrap(node.child('left'));
      const right = unwrap(node.child('right'));
      if (left?.type !== 'identifier' || right?.type !== 'call_expression') return;
      const base = concatBase(right);
      if (base?.type !== 'identifier' || base.text !== left.text) return;
      if (facts.kindOf(left.text, node) !== 'list') return;
      const loops = scalingLoops(ctx.facts.loops(node), ctx.module);
      const loop = loops[0];
      if (!loop) return;
      const d = facts.declarationOf(left.text, node);
      if (d && loop.node.contains(d.node)) return;
      const verdict = sizeVerdict(node, loops, null, facts);
      ctx.report({
        node,
        severity: verdict.severity,
        message: `\`${left.text} = ${left.text}.concat(…)\` copies the whole array on every iteration: O(n²); push onto it instead${verdict.note}`,
        related: [loopRelated(loop)],
      });
    };
    return { function_declaration: visit, generator_function_declaration: visit, function_expression: visit, function: visit, generator_function: visit, arrow_function: visit, method_definition: visit, assignment_expression: visit };
  },
};
