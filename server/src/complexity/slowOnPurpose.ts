// HP302's severity contract (issue 13 round 11): an exponential recursion that is the slow variant on
// purpose (named naive, its fast variant defined beside it) or that enumerates its outputs is
// information, with why.
import type { ValueKind } from '../analysis/module';
import type { SyntaxNode } from '../parsing';
import type { FunctionEstimate } from './estimate';

/**
 * A name that says it is the slow variant on purpose: `count_paths_naive`, `lcsBruteForce`. Not
 * "recursive": that says how a function is written, not that it is the slow one (review 8 P4; `--verify`
 * reads the same two words).
 */
const VARIANT_NAME = /(?:^|_)(?:naive|brute_?force)(?:_|$)|[a-z0-9](?:Naive|BruteForce)$/;
/** What follows a function's name in the name of its fast variant: `combination_memo`, `fib_iter`, `count_paths_dp`. */
const FAST_SUFFIX = /^_?(?:memo|memoized|cached?|dp|iter|iterative|fast|table|tabulated|bottom_?up|linear)\b|^(?:Memo|Memoized|Cached?|Dp|DP|Iter|Iterative|Fast|Table|BottomUp|Linear)/;

/**
 * The function is the slow variant on purpose (issue 13 round 11, the severity contract of plain
 * `check`; `--verify` reads "naive" / "brute force" the same way): its name says so (`fib_naive`), or
 * the module defines its fast variant beside it as a function (`combination` next to `def
 * combination_memo`; a table or an import of that name is no variant: review 8 P4). Teaching
 * collections keep both for comparison; rounds 8–10 judged every such warning pointless. Returns why,
 * or null.
 */
export function deliberateVariant(name: string, topLevel: ReadonlyMap<string, ValueKind>): string | null {
  if (VARIANT_NAME.test(name)) return `its name, \`${name}\`, says it is the naive variant`;
  const variant = fastVariantNames(name, topLevel).find((other) => topLevel.get(other) === 'function');
  return variant ? `the module defines the function \`${variant}\` beside it, the variant to call where the size grows` : null;
}

const SORTED_NAMES = new WeakMap<ReadonlyMap<string, ValueKind>, string[]>();

/**
 * The module's names that could be `name`'s fast variant (`name` and a FAST_SUFFIX), whatever they are
 * bound to: what deliberateVariant reads, so a unit's cache key holds these (analysis/document.ts). Found
 * by a binary search in the names sorted once per module summary, not by a scan per unit.
 */
export function fastVariantNames(name: string, topLevel: ReadonlyMap<string, ValueKind>): string[] {
  let sorted = SORTED_NAMES.get(topLevel);
  if (!sorted) SORTED_NAMES.set(topLevel, (sorted = [...topLevel.keys()].sort()));
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= name) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && sorted[i].startsWith(name); i++) if (FAST_SUFFIX.test(sorted[i].slice(name.length))) out.push(sorted[i]);
  return out;
}

const BRANCHING = new Set(['if_statement', 'elif_clause', 'else_clause']);

/** The branch of an `if` (its consequence or its else) that `n` sits in, inside `fn`, or null. */
function branchOf(n: SyntaxNode, fn: SyntaxNode): SyntaxNode | null {
  for (let at: SyntaxNode = n; at.parent && at !== fn; at = at.parent) {
    const p = at.parent;
    if (BRANCHING.has(p.type) && at !== p.child('condition')) return at;
  }
  return null;
}

/** Does the function return nothing, or only `collection`, on every `return`? */
function returnsOnly(fn: SyntaxNode, body: readonly SyntaxNode[], collection: string, functionTypes: ReadonlySet<string>): boolean {
  if (fn.type === 'arrow_function' && fn.child('body')?.type !== 'statement_block') return false;
  const visit = (n: SyntaxNode): boolean => {
    if (functionTypes.has(n.type)) return true;
    if (n.type === 'return_statement') {
      const v = n.namedChildren.filter((c) => c.type !== 'comment')[0];
      return !v || v.text === collection;
    }
    return n.namedChildren.every(visit);
  };
  return body.every(visit);
}

/**
 * The recursion enumerates its outputs: a parameter that every self-call passes on unchanged collects
 * each complete result (`result.append(current)` at the base case: all subsets, all balanced strings).
 * There are exponentially many outputs, so no cache makes the function cheaper than its output
 * (issue 13 round 11: `subsets`' and `generate_parenthesis`' helpers, judged pointless or wrong). The
 * add must sit in a base case (a branch with no self-call) and the function return nothing or only the
 * collection: a trace appended on every call of a counting recursion collects no results (review 8 P7).
 * Returns the collecting parameter, or null.
 */
export function enumeratesInto(est: FunctionEstimate, callNodes: readonly SyntaxNode[], functionTypes: ReadonlySet<string>): string | null {
  const names = est.shape.params.map((p) => p.name).filter((n) => n !== est.shape.selfName);
  const fn = est.shape.node;
  const inBaseCase = (n: SyntaxNode): boolean => {
    const branch = branchOf(n, fn);
    return !!branch && !callNodes.some((c) => c.startIndex >= branch.startIndex && c.endIndex <= branch.endIndex);
  };
  for (const p of names) {
    const passed = callNodes.every((c) => (c.child('arguments')?.namedChildren ?? []).some((a) => a.text === p));
    if (!passed || !returnsOnly(fn, est.shape.body, p, functionTypes)) continue;
    const collects = est.shape.body.some((b) => b.descendants().some((n) => {
      const callee = n.type === 'call' || n.type === 'call_expression' ? n.child('function') : null;
      const object = callee?.child('object');
      const method = callee?.child('attribute') ?? callee?.child('property');
      return !!object && object.text === p && /^(?:append|push|add|extend)$/.test(method?.text ?? '') && inBaseCase(n);
    }));
    if (collects) return p;
  }
  return null;
}
