// Work around a size-dependent finding that already sets the cost, so that the finding changes no
// complexity worth acting on (issue 13, round 3): the list re-sorted on every iteration of a loop
// around its scan, heavier work elsewhere in the function on the same inputs (dense linear algebra,
// itertools enumerations), an iteration that waits on I/O. sizes.ts sizeVerdict asks these before the
// size evidence; the message then says which work, and why.
import type { ModuleSummary } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { COMPREHENSION_TYPES } from './loops';
import { bindingsOf, isNameRef, isParameter, resolveScope } from './scope';
import { enclosingFunction, functionCall, methodCall, moduleCall, unparen } from './syntax';

/** Scans a set or dict replaces: `x in xs`, `xs.index(x)`, `xs.remove(x)`, `xs.count(x)`. */
function isSetScan(finding: SyntaxNode): boolean {
  return finding.type === 'comparison_operator' || ['index', 'remove', 'count'].includes(methodCall(finding)?.method ?? '');
}

/**
 * `xs.sort()` (or `xs = sorted(xs)`) on every iteration of a loop around the finding's scan of `xs`:
 * the list's order is what the loop works with, so a set or dict is no replacement, and the sort
 * already costs O(n log n) per iteration. Returns the sort, or null.
 */
export function resortedAround(finding: SyntaxNode, loops: readonly SyntaxNode[], collection: SyntaxNode | null): SyntaxNode | null {
  const same = unparen(collection)?.text;
  if (!same || !isSetScan(finding)) return null;
  for (const outer of loops.slice(1)) {
    const body = outer.child('body');
    for (const n of body?.descendants() ?? []) {
      if (n.type === 'function_definition' || n.type === 'lambda') continue;
      if (methodCall(n)?.method === 'sort' && methodCall(n)!.receiver.text === same) return n;
      if (n.type === 'assignment' && unparen(n.child('left'))?.text === same && functionCall(unparen(n.child('right'))!)?.name === 'sorted') return n;
    }
  }
  return null;
}

/** Dense matrix routines (numpy.linalg, scipy.linalg): O(n³) on an n×n matrix. */
const DENSE_LINEAR_ALGEBRA = new Set(['inv', 'pinv', 'solve', 'eig', 'eigh', 'eigvals', 'eigvalsh', 'svd', 'lstsq', 'det', 'qr', 'cholesky', 'expm', 'matrix_power', 'lu', 'lu_factor', 'schur']);
/** itertools enumerations: as many results as combinations of their inputs. */
const COMBINATORIAL = new Set(['product', 'permutations', 'combinations', 'combinations_with_replacement']);

/** Does `expr` read a parameter of its function, directly or through local assignments (`L = laplacian(G)`)? */
function derivesFromParameter(expr: SyntaxNode, depth = 0): boolean {
  for (const n of [expr, ...expr.descendants()]) {
    if (n.type !== 'identifier' || !isNameRef(n)) continue;
    if (isParameter(n)) return true;
    if (depth >= 4) continue;
    const scope = resolveScope(n.text, n);
    if (typeof scope === 'string') continue;
    for (const b of bindingsOf(scope).get(n.text) ?? []) if (b.kind === 'assign' && b.value && b.node.startIndex < n.startIndex && derivesFromParameter(b.value, depth + 1)) return true;
  }
  return false;
}

/**
 * `product(*lists)`, `permutations(xs, 2)`: a bare itertools name, imported into the module (a rule
 * sees the module only through its bindings: an imported name is bound there as 'unknown', one the
 * file defines is a function). `product` takes the itertools shape (`*lists`, two or more lists, or
 * `repeat=`), not numpy's one-array product.
 */
function isItertoolsCall(call: SyntaxNode, name: string, module: ModuleSummary): boolean {
  if (!COMBINATORIAL.has(name) || module.bindings.get(name) !== 'unknown') return false;
  if (name !== 'product') return true;
  const args = call.child('arguments')?.namedChildren ?? [];
  return args.some((a) => a.type === 'list_splat' || (a.type === 'keyword_argument' && a.child('name')?.text === 'repeat')) || args.filter((a) => a.type !== 'keyword_argument').length >= 2;
}

/**
 * Work elsewhere in the finding's function whose cost grows faster than the finding's O(n²) (one
 * scaling loop around an O(n) step) on data derived from the same inputs: a dense matrix routine
 * (`np.linalg.pinv(L)`: O(n³)) or an itertools enumeration of combinations (`product(*expand)`).
 * Making the scan O(1) then leaves the function's cost where it was. Returns that work and its
 * cost, or null.
 */
export function heavierWork(finding: SyntaxNode, loops: readonly SyntaxNode[], module: ModuleSummary): { node: SyntaxNode; cost: string } | null {
  if (loops.length !== 1) return null;
  const fn = enclosingFunction(finding);
  if (!fn) return null;
  for (const n of fn.descendants()) {
    if (n.type !== 'call' || n.contains(finding)) continue;
    const callee = n.child('function');
    const args = n.child('arguments');
    if (!callee || !args || !derivesFromParameter(args)) continue;
    if (callee.type === 'attribute') {
      const owner = callee.child('object')?.text ?? '';
      const name = callee.child('attribute')?.text ?? '';
      if ((owner === 'linalg' || owner.endsWith('.linalg')) && DENSE_LINEAR_ALGEBRA.has(name)) return { node: n, cost: 'O(n³) dense linear algebra' };
      if (owner === 'itertools' && COMBINATORIAL.has(name)) return { node: n, cost: 'an enumeration of combinations' };
    } else if (callee.type === 'identifier' && isItertoolsCall(n, callee.text, module)) return { node: n, cost: 'an enumeration of combinations' };
  }
  return null;
}

/** Calls that wait on the outside world: a file opened, a process run, a request sent, a sleep. */
const IO_FUNCTIONS = new Set(['open', 'urlopen', 'input']);
const IO_MODULE_CALLS: Record<string, ReadonlySet<string>> = {
  subprocess: new Set(['run', 'call', 'check_call', 'check_output', 'Popen']),
  requests: new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request']),
  httpx: new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request']),
  time: new Set(['sleep']),
  os: new Set(['system', 'popen', 'listdir', 'scandir', 'stat', 'remove', 'rename', 'makedirs']),
  shutil: new Set(['copy', 'copy2', 'copyfile', 'copytree', 'move', 'rmtree']),
};

/**
 * A call in the same iteration that waits on I/O: `open(path)`, `subprocess.run(…)`,
 * `requests.get(url)`, `time.sleep(…)`. Each costs microseconds to milliseconds, more than scanning
 * a list of thousands, so the scan is not what the loop's time goes to. Reading from a file opened
 * before the loop (`for line in f`) is buffered and does not count. Returns that call, or null.
 */
export function ioWork(loop: SyntaxNode, finding: SyntaxNode): SyntaxNode | null {
  const parts = loop.type === 'for_statement' || loop.type === 'while_statement' ? [loop.child('body')] : COMPREHENSION_TYPES.has(loop.type) ? [loop.namedChildren[0]] : [];
  for (const part of parts) {
    for (const n of part?.descendants() ?? []) {
      if (n.type !== 'call' || n.contains(finding)) continue;
      if (IO_FUNCTIONS.has(functionCall(n)?.name ?? '')) return n;
      const m = moduleCall(n);
      if (m && IO_MODULE_CALLS[m.module]?.has(m.name)) return n;
    }
  }
  return null;
}
