// What a Python unit's text says about the functions it defines, for rules in other units (merged
// into ModuleSummary.nameFacts, so a finding that depends on them is re-analysed when they change):
// a `def` whose own body yields (trait `generator`: a call of it makes a generator), and a method
// `def NAME(self` (trait `self`: `self.NAME()` is the object's own method); and how attributes are bound
// (attributeFacts: a field list declared with a fixed number of entries).
import { ALIAS_PREFIX, type UnitNameFacts } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';
import { callFacts } from './callShapes';

const HEADER = /^\s*(?:async\s+)?def\s+([\p{L}\p{N}_]+)\s*\(/u;
const METHOD = /^\s*def ([\p{L}\p{N}_]+)\(self\b/u;
const NESTED = /^\s*(?:async\s+)?(?:def|class)\b/;
const YIELD = /(?:^|[=(,\s])yield\b/;

export function pythonNameFacts(unit: SyntaxNode, nodes: readonly SyntaxNode[]): UnitNameFacts {
  // Whole lines, read from the unit's text alone (not its position: a unit reused after an edit above
  // it keeps its facts, review 7 R7-4); the lines below a `def` header are read by indentation.
  const text = unit.text;
  const lines = text.split('\n');
  // Without the word no body yields (YIELD needs it): most units, whose headers then skip the scan below.
  const mayYield = text.includes('yield');
  const definitions: { name: string; traits: string[] }[] = [];
  lines.forEach((line, i) => {
    const header = HEADER.exec(line);
    if (!header) return;
    const traits: string[] = [];
    if (mayYield && yieldsBelow(lines, i)) traits.push('generator');
    // A method-shaped `def NAME(self`, wherever it stands.
    const method = METHOD.exec(line);
    if (method) definitions.push({ name: method[1], traits: ['self'] });
    if (traits.length) definitions.push({ name: header[1], traits });
  });
  const mutated = new Set<string>();
  attributeFacts(unit, nodes, definitions, mutated);
  return { definitions, mutated };
}

/** An attribute bound to a display with a fixed number of entries (a class's field list): trait of each such binding. */
export const ATTR_FIXED = 'attr-fixed';
/** An attribute bound to another attribute of the object (`self.structure = self.structure64`); with ALIAS_PREFIX + that name. */
export const ATTR_ALIAS = 'attr-alias';
/** Any other binding of an attribute (or of a class-body name): its size is not written in the code. */
export const ATTR_OTHER = 'attr-other';

const GROWING = new Set(['append', 'extend', 'insert', 'add', 'update', 'setdefault', 'appendleft', 'extendleft', '__setitem__']);
const DISPLAY_MAKERS = new Set(['dict', 'list', 'tuple', 'set', 'OrderedDict']);

/**
 * How a unit binds and changes attributes (issue 13 round 12: impacket's NDR `structure` field lists,
 * paho-mqtt's property names): a class-body \`X = (…)\` (the unit is a class member, so
 * it starts indented) and every \`self.X = …\` / \`cls.X = …\` is a definition of X with ATTR_FIXED when
 * the value is a display without unpacking (\`()\`, \`[a, b]\`, \`{'k': v}\`) or an empty or
 * display-made \`dict()\` / \`OrderedDict([…])\`, ATTR_ALIAS for another attribute of the object, and
 * ATTR_OTHER otherwise (so is \`other.X = …\`). X is mutated where it may gain entries:
 * \`….X.append(…)\` and the other growing methods, \`….X += …\`, \`….X[k] = …\` with k not a literal.
 */
function attributeFacts(unit: SyntaxNode, nodes: readonly SyntaxNode[], definitions: { name: string; traits: string[] }[], mutated: Set<string>): void {
  // Not at column 0: the character before it is no line start (startPosition would build the whole
  // text's line starts for this one question).
  const classMember = unit.startIndex > 0 && unit.source.charCodeAt(unit.startIndex - 1) !== 10;
  // Every unit of every file comes through here: one pass over its nodes in pre-order (the unit itself,
  // a statement, first; the list the unit's other readers share), the few node types that bind or
  // grow an attribute handled apart.
  const uses = new Map<number, unknown>();
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const type = n.type;
    callFacts(n, definitions, uses);
    if (type === 'assignment') assignmentFacts(n, unit, classMember, definitions, mutated);
    else if (type === 'augmented_assignment') {
      const left = n.child('left');
      if (left?.type === 'attribute') mutated.add(left.child('attribute')?.text ?? '');
    } else if (type === 'call') {
      const fn = n.child('function');
      const receiver = fn?.type === 'attribute' ? fn.child('object') : null;
      if (receiver?.type === 'attribute' && GROWING.has(fn!.child('attribute')?.text ?? '')) mutated.add(receiver.child('attribute')?.text ?? '');
    }
  }
}

function assignmentFacts(n: SyntaxNode, unit: SyntaxNode, classMember: boolean, definitions: { name: string; traits: string[] }[], mutated: Set<string>): void {
  const left = n.child('left');
  const right = n.child('right');
  if (left?.type === 'attribute') {
    const name = left.child('attribute')?.text;
    if (!name) return;
    const obj = left.child('object');
    if (obj?.type === 'identifier' && (obj.text === 'self' || obj.text === 'cls')) definitions.push({ name, traits: valueTraits(right) });
    else definitions.push({ name, traits: [ATTR_OTHER] });
  } else if (left?.type === 'identifier' && classMember && n.parent === unit) {
    definitions.push({ name: left.text, traits: valueTraits(right) });
  } else if (left?.type === 'subscript') {
    const target = left.child('value');
    const key = left.child('subscript');
    if (target?.type === 'attribute' && !(key && ['string', 'integer'].includes(key.type))) mutated.add(target.child('attribute')?.text ?? '');
  } else if (left && (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern')) {
    for (const t of left.namedChildren) if (t.type === 'attribute') definitions.push({ name: t.child('attribute')?.text ?? '', traits: [ATTR_OTHER] });
  }
}

function valueTraits(value: SyntaxNode | null): string[] {
  let v = value;
  while (v?.type === 'parenthesized_expression' && v.namedChildren.length === 1) v = v.namedChildren[0];
  if (!v) return [ATTR_OTHER];
  // An empty list, set or dict is made to be filled, maybe by code this module does not show: not fixed.
  // An empty tuple cannot be filled, only rebound (a definition of its own).
  if (isDisplay(v)) return entries(v) > 0 || v.type === 'tuple' ? [ATTR_FIXED] : [ATTR_OTHER];
  if (v.type === 'attribute' && v.child('object')?.type === 'identifier' && ['self', 'cls'].includes(v.child('object')!.text)) return [ATTR_ALIAS, `${ALIAS_PREFIX}${v.child('attribute')?.text ?? ''}`];
  if (v.type === 'call') {
    const fn = v.child('function');
    const fname = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.child('attribute')?.text : undefined;
    const args = v.child('arguments')?.namedChildren ?? [];
    if (fname && DISPLAY_MAKERS.has(fname) && args.length === 1 && isDisplay(args[0]) && entries(args[0]) > 0) return [ATTR_FIXED];
  }
  return [ATTR_OTHER];
}

/** A display's entries, comments left out (`(\n  # ('Old', x),\n  ('Data', y),\n)` has one). */
function entries(v: SyntaxNode): number {
  return v.namedChildren.filter((c) => c.type !== 'comment').length;
}

/** `()`, `(a, b)`, `a, b`, `(x),`, `[a, b]`, `{a, b}`, `{'k': v}`: a fixed number of entries (no `*xs` / `**d` inside). */
function isDisplay(v: SyntaxNode): boolean {
  if (!['tuple', 'expression_list', 'list', 'set', 'dictionary'].includes(v.type)) return false;
  return !v.namedChildren.some((c) => c.type === 'list_splat' || c.type === 'dictionary_splat');
}

/** Does the body below the `def` header at line `i` (its own, not a nested def's or class's) hold a `yield`? */
function yieldsBelow(lines: readonly string[], i: number): boolean {
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const own = indentOf(lines[i]);
  let nested = Infinity;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    const at = indentOf(l);
    if (at <= own) return false;
    if (at <= nested) nested = NESTED.test(l) ? at : Infinity;
    if (nested === Infinity && YIELD.test(l)) return true;
  }
  return false;
}
