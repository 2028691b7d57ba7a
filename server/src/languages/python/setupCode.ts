// Set-up code around a size-dependent finding (issue 13, round 4): a constructor or a function named
// for loading, initialising, registering, configuring or compiling runs once per object or definition,
// over what the definition lists (a parser's rules, a type hierarchy read at load time), not over the
// data processed later. analysis/sizeVerdict.ts setupEvidence holds the names and the words;
// this file finds the function and the loops' collections in Python.
import { isSetupName, type ModuleSummary } from '../../analysis/module';
import { setupEvidence, type SizeEvidence } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import { COMPREHENSION_TYPES } from './loops';

/** The innermost `def` around `node` (lambdas are part of it), or null at module level. */
function enclosingDef(node: SyntaxNode): SyntaxNode | null {
  for (let a = node.parent; a; a = a.parent) if (a.type === 'function_definition') return a;
  return null;
}

/** The names in what a loop runs over: `self`, `rules` for `for r in self.rules:`, `lines` for `while lines:`. */
function loopCollectionNames(loop: SyntaxNode): string[] {
  const it = loop.type === 'for_statement' ? loop.child('right') : COMPREHENSION_TYPES.has(loop.type) ? loop.namedChildren.find((c) => c.type === 'for_in_clause')?.child('right') : loop.child('condition');
  return it ? [it, ...it.descendants()].filter((n) => n.type === 'identifier').map((n) => n.text) : [];
}

/**
 * Evidence that the finding runs in set-up code, or null (see setupEvidence): its function is named
 * for set-up, or it is a private function (`_index`, a unit of its own) that this file calls only
 * from set-up code. `loops`: the scaling loops.
 */
export function setupContext(finding: SyntaxNode, loops: readonly SyntaxNode[], module: ModuleSummary): SizeEvidence | null {
  const def = enclosingDef(finding);
  const name = def?.child('name')?.text;
  if (!def || !name) return null;
  // Only a private function (`_index`, not a dunder) is called from nowhere but this file.
  const private_ = /^_(?!_)/.test(name) && !enclosingDef(def);
  const path = isSetupName(name) ? [name] : private_ ? module.setupPath(name) : null;
  if (!path) return null;
  const names = loops.flatMap(loopCollectionNames);
  const params = new Set([...(def.child('parameters')?.descendants() ?? [])].filter((n) => n.type === 'identifier' && n.text !== 'self' && n.text !== 'cls').map((n) => n.text));
  return setupEvidence(path, names, names.some((n) => params.has(n) || n === 'open'));
}
