// A generator rebuilt from an existing call of the function (a doctest, a test, another call
// site; those modules find the calls, this one writes the generator): the statements before the
// call that build its arguments, then the arguments, with the sizes the example wrote scaled to n:
// - a literal list, set, dict (and, as an argument, a tuple or string) becomes n elements: copies
//   of its elements with their integers shifted so the copies differ (`[3, 1, 2]` → 3, 1, 2, 7, 5,
//   6, …; an adjacency dict → disjoint copies of the graph);
// - in the statements before the call, a call's first argument that is an integer literal ≥ 2
//   becomes n (`nx.path_graph(4)`, `range(10)`);
// - an integer (or string) argument of the call itself becomes n only when nothing else grows
//   and every argument is a literal (`fib(10)`; in `cut(G, 0, 6)` the 6 is a label).
// An example whose names are not all bound (by its statements, the module or its imports), or
// that has nothing to scale, is not used.

import type { SyntaxNode } from '../../../parsing';
import type { ExampleInput, ExampleSource, ParamInfo } from '../../../execution/language';
import { snippet } from '../syntax';

export interface ExampleCall {
  source: ExampleSource;
  /** `file:line` of the call. */
  where: string;
  /** Statements before the call (dedented Python), then the statement that holds the call. */
  setup: string[];
  statement: string;
}

const GENERATOR = '__hotpath_example';
const GROW = '__hotpath_grow';

const BUILTINS = new Set(
  ('abs all any ascii bin bool bytearray bytes callable chr classmethod complex dict dir divmod enumerate filter float format frozenset getattr ' +
    'hasattr hash hex id int isinstance issubclass iter len list map max min next object oct ord pow print property range repr reversed round ' +
    'set setattr slice sorted staticmethod str sum super tuple type vars zip Exception ValueError TypeError KeyError IndexError ' +
    'NotImplemented Ellipsis __name__').split(' '),
);

// The grow helper, run inside the generator: a value of the example made n elements long.
export const GROW_HELPER = [
  `def ${GROW}(v, n):`,
  `    if isinstance(v, (str, bytes)):`,
  `        return (v * (n // len(v) + 1))[:n] if v else v`,
  `    items = list(v.items()) if isinstance(v, dict) else list(v)`,
  `    if not items:`,
  `        return v`,
  `    def ints(x):`,
  `        if isinstance(x, bool):`,
  `            return []`,
  `        if isinstance(x, int):`,
  `            return [abs(x)]`,
  `        if isinstance(x, (tuple, list, set, frozenset)):`,
  `            return [i for e in x for i in ints(e)]`,
  `        return []`,
  `    step = max([i for e in items for i in ints(e)] or [0]) + 1`,
  `    def shift(x, c):`,
  `        if c == 0 or isinstance(x, bool):`,
  `            return x`,
  `        if isinstance(x, int):`,
  `            return x + c * step`,
  `        if isinstance(x, str):`,
  `            return x + str(c)`,
  `        if isinstance(x, (tuple, list, set, frozenset)):`,
  `            return type(x)(shift(e, c) for e in x)`,
  `        return x`,
  `    out, c = [], 0`,
  `    while len(out) < n:`,
  `        out.extend(shift(e, c) for e in items)`,
  `        c += 1`,
  `    return dict(out[:n]) if isinstance(v, dict) else type(v)(out[:n])`,
];

function hasError(node: SyntaxNode): boolean {
  for (const d of node.descendants()) if (d.isError || d.isMissing) return true;
  return false;
}

/** The call of `name` in a statement: `name(…)` or `module.name(…)`. */
function callOf(statement: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const d of statement.descendants()) {
    if (d.type !== 'call') continue;
    const f = d.child('function');
    if ((f?.type === 'identifier' && f.text === name) || (f?.type === 'attribute' && f.child('attribute')?.text === name)) return d;
  }
  return undefined;
}

/** Names a statement binds (assignment targets, loop variables, imports, definitions). */
function bindsOf(node: SyntaxNode, into: Set<string>): void {
  const targets = (t: SyntaxNode | null) => {
    if (!t) return;
    for (const id of t.descendants()) if (id.type === 'identifier' && id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript') into.add(id.text);
  };
  for (const d of node.descendants()) {
    if (d.type === 'assignment' || d.type === 'augmented_assignment' || d.type === 'for_statement' || d.type === 'for_in_clause') targets(d.child('left'));
    else if (d.type === 'as_pattern_target' || d.type === 'lambda_parameters' || d.type === 'parameters') targets(d);
    else if (d.type === 'aliased_import') into.add(d.child('alias')!.text);
    else if (d.type === 'import_statement' || d.type === 'import_from_statement') {
      for (const n of d.childrenIn('name')) if (n.type === 'dotted_name') into.add(d.type === 'import_statement' ? n.namedChildren[0].text : n.text);
    } else if ((d.type === 'function_definition' || d.type === 'class_definition') && d.child('name')) into.add(d.child('name')!.text);
  }
}

/** Identifiers read in a node that are variables (not attribute or keyword names). */
function freeNames(node: SyntaxNode, into: Set<string>): void {
  if (node.type === 'import_statement' || node.type === 'import_from_statement') return;
  for (const d of node.descendants()) {
    if (d.type !== 'identifier') continue;
    const p = d.parent;
    if (p?.type === 'attribute' && d.field === 'attribute') continue;
    if (p?.type === 'keyword_argument' && d.field === 'name') continue;
    into.add(d.text);
  }
}

const GROWN = new Set(['list', 'set', 'dictionary']);

function isSizeLiteral(n: SyntaxNode | undefined): n is SyntaxNode {
  if (n?.type !== 'integer') return false;
  const v = Number(n.text.replace(/_/g, ''));
  return Number.isInteger(v) && v >= 2 && v <= 1_000_000;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  shown: string;
  /** The example's own size there (the integer, the number of elements, the string's length). */
  size: number;
}

/** Scaling edits inside a setup statement: outermost literal collections grow; a call's first integer argument becomes n. */
function setupEdits(stmt: SyntaxNode, edits: Edit[]): void {
  const walk = (node: SyntaxNode): void => {
    if (GROWN.has(node.type) && node.namedChildren.length >= 2) {
      edits.push({ start: node.startIndex, end: node.endIndex, text: `${GROW}(${node.text}, n)`, shown: snippet(node, 80), size: node.namedChildren.length });
      return;
    }
    if (node.type === 'call') {
      const first = node.child('arguments')?.namedChildren[0];
      if (isSizeLiteral(first)) edits.push({ start: first.startIndex, end: first.endIndex, text: 'n', shown: snippet(node, 80), size: Number(first.text.replace(/_/g, '')) });
    }
    for (const c of node.namedChildren) walk(c);
  };
  walk(stmt);
}

function applyEdits(node: SyntaxNode, edits: Edit[]): string {
  const mine = edits.filter((e) => node.startIndex <= e.start && e.end <= node.endIndex).sort((a, b) => b.start - a.start);
  let text = node.text;
  for (const e of mine) text = text.slice(0, e.start - node.startIndex) + e.text + text.slice(e.end - node.startIndex);
  return text;
}

/** Statements before the call worth running: bindings, imports, blocks, and method calls on what they bound (`G.add_edge(1, 2)`). */
function keptSetup(statements: readonly SyntaxNode[]): SyntaxNode[] {
  const bound = new Set<string>();
  const out: SyntaxNode[] = [];
  for (const s of statements) {
    let keep = s.type !== 'expression_statement';
    if (s.type === 'expression_statement') {
      const e = s.namedChildren[0];
      if (e?.type === 'assignment' || e?.type === 'augmented_assignment') keep = true;
      else if (e?.type === 'call') {
        const f = e.child('function');
        const obj = f?.type === 'attribute' ? f.child('object') : null;
        keep = obj?.type === 'identifier' && bound.has(obj.text);
      }
    }
    if (!keep) continue;
    out.push(s);
    bindsOf(s, bound);
  }
  return out;
}

/**
 * The generator for one example call of `fnName` (its parameters `params`), or undefined when the
 * call cannot be rebuilt: `known` are the names the generator may use unbound (the module's
 * top-level names); `parse` parses Python.
 */
export function pythonExample(fnName: string, params: ParamInfo[], call: ExampleCall, known: Set<string>, parse: (text: string) => SyntaxNode): ExampleInput | undefined {
  const program = [...call.setup, call.statement].join('\n');
  const root = parse(program);
  if (hasError(root)) return undefined;
  const statements = root.namedChildren.filter((c) => c.type !== 'comment');
  const last = statements[statements.length - 1];
  const target = last && callOf(last, fnName);
  if (!target) return undefined;
  const args = target.child('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  if (args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  const keywords = new Map(args.filter((a) => a.type === 'keyword_argument').map((a) => [a.child('name')!.text, a.child('value')!]));
  // The arguments by parameter, in order, as far as the call provides them without a gap.
  const chosen: SyntaxNode[] = [];
  for (let i = 0; i < params.length; i++) {
    const a = positional[i] ?? keywords.get(params[i].name);
    if (!a) {
      if (!params[i].optional) return undefined;
      break;
    }
    chosen.push(a);
  }
  if (!chosen.length) return undefined;

  // Imports nothing else uses are left out (a test file's `import pytest` need not be installed where it runs).
  const needed = new Set<string>();
  for (const a of chosen) freeNames(a, needed);
  for (const s of statements.slice(0, -1)) if (s.type !== 'import_statement' && s.type !== 'import_from_statement') freeNames(s, needed);
  const setup = keptSetup(statements.slice(0, -1).filter((s) => {
    if (s.type !== 'import_statement' && s.type !== 'import_from_statement') return true;
    const b = new Set<string>();
    bindsOf(s, b);
    return [...b].some((x) => needed.has(x));
  }));
  const edits: Edit[] = [];
  for (const s of setup) setupEdits(s, edits);
  const grow = (a: SyntaxNode) =>
    edits.push({ start: a.startIndex, end: a.endIndex, text: `${GROW}(${a.text}, n)`, shown: snippet(a, 80), size: a.type === 'string' ? a.text.length - 2 : a.namedChildren.length });
  for (const a of chosen) {
    if (GROWN.has(a.type) && a.namedChildren.length >= 1) grow(a);
    else if (a.type === 'call') setupEdits(a, edits); // `total(helper(5))`: helper(n)
  }
  // A string or a number given to the call is its size only when nothing else grows and every
  // argument is a literal (`fib(10)`; with an object the example built, `cut(G, 0, 6)`, it is a label).
  const literal = (a: SyntaxNode) => ['integer', 'float', 'string', 'true', 'false', 'none', 'list', 'tuple', 'set', 'dictionary', 'unary_operator'].includes(a.type);
  if (!edits.length && chosen.every(literal)) {
    for (const a of chosen) if ((a.type === 'tuple' && a.namedChildren.length >= 1) || (a.type === 'string' && !a.children.some((c) => c.type === 'interpolation') && a.text.length > 3)) grow(a);
  }
  if (!edits.length && chosen.every(literal)) {
    // Not a seed: it picks the randomness, not the size.
    const biggest = chosen.filter((a, i) => isSizeLiteral(a) && !/seed|random_state/.test(params[i].name)).sort((a, b) => Number(b.text) - Number(a.text))[0];
    if (biggest) edits.push({ start: biggest.startIndex, end: biggest.endIndex, text: 'n', shown: `${fnName}(… ${biggest.text} …)`, size: Number(biggest.text.replace(/_/g, '')) });
  }
  if (!edits.length) return undefined;

  // Every name must be bound by the statements kept, the module, or be a builtin.
  const bound = new Set<string>(['n', 'rng']);
  for (const s of setup) bindsOf(s, bound);
  const used = new Set<string>();
  for (const s of setup) freeNames(s, used);
  for (const a of chosen) freeNames(a, used);
  for (const a of root.descendants()) if (a.type === 'lambda_parameters' || a.type === 'for_in_clause') bindsOf(a, bound);
  for (const u of used) if (!bound.has(u) && !known.has(u) && !BUILTINS.has(u)) return undefined;

  const indent = (text: string) => text.split('\n').map((l) => `    ${l}`).join('\n');
  const body = [
    ...GROW_HELPER,
    ...setup.map((s) => applyEdits(s, edits)),
    `args = (${chosen.map((a) => applyEdits(a, edits)).join(', ')},)`,
    // A generator expression or map() as an argument is made a list: an input is copied for every call.
    `return tuple(list(a) if type(a).__name__ in ('generator', 'map', 'filter', 'zip') else a for a in args)`,
  ];
  const text = [`def ${GENERATOR}(n, rng):`, `    # rebuilt from the ${call.source} at ${call.where}`, ...body.map(indent)].join('\n') + '\n';
  return {
    source: call.source,
    where: call.where,
    call: snippet(target, 80),
    scaled: [...new Set(edits.map((e) => e.shown))].slice(0, 4),
    minN: Math.min(1024, Math.max(1, ...edits.map((e) => e.size))),
    generator: { name: GENERATOR, text },
    keywords: params.slice(0, chosen.length).filter((p) => p.keywordOnly).map((p) => p.name),
  };
}
