// What the document analysis (document.ts) reads off one unit besides running the rules: the names it
// mentions, the key of what its findings depend on outside its text, and its findings moved with it.
import type { SyntaxNode } from '../parsing';
import { fastVariantNames } from '../complexity';
import { nameFactsKey, type ModuleSummary } from './module';
import type { Finding } from './rule';

/** What dependencyKey reads of a unit. */
export interface UnitNames {
  endIndex: number;
  functionName: string | null;
  names: Set<string>;
  mentions: Set<string>;
}

/**
 * The identifiers a unit mentions (`names`), and every name it mentions, property names included
 * (`mentions`): read off the unit's nodes in pre-order (its `descendants()`, listed once per unit
 * and shared with the name facts and the rules: UnitContext.nodes).
 */
export function identifiers(nodes: readonly SyntaxNode[]): { names: Set<string>; mentions: Set<string> } {
  const names = new Set<string>();
  const mentions = new Set<string>();
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (!n.type.endsWith('identifier')) continue;
    const text = n.text;
    mentions.add(text);
    if (n.type === 'identifier' || n.type === 'type_identifier') names.add(text);
  }
  return { names, mentions };
}

/**
 * What a unit's findings may depend on outside its text, as a cache key: the module bindings of
 * the names it mentions, and which of those names later units mention.
 */
export function dependencyKey(u: UnitNames, module: ModuleSummary): string {
  let key = module.mentionedAfter(u.endIndex, '\u0000') ? '*' : '';
  if (u.functionName) key += `<${module.setupPath(u.functionName)?.join('<') ?? ''}>`;
  if (u.functionName) for (const name of fastVariantNames(u.functionName, module.bindings)) key += `${name}~${module.bindings.get(name)},`; // HP302 reads the fast variant beside it (`fib_memo` by `fib`) and its kind
  for (const name of u.names) {
    const kind = module.bindings.get(name);
    if (kind !== undefined) key += `${name}:${kind},`;
    if (module.mentionedAfter(u.endIndex, name)) key += `${name}^,`;
  }
  // Property names too: `self.rows(…)` depends on whether the file's `def rows` yields.
  for (const name of u.mentions) {
    const facts = nameFactsKey(module.nameFacts(name), module);
    if (facts) key += `${name}#${facts},`;
  }
  return key;
}

export function shift(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  return {
    ...f,
    startIndex: f.startIndex + delta,
    endIndex: f.endIndex + delta,
    related: f.related.map((r) => ({ ...r, startIndex: r.startIndex + delta, endIndex: r.endIndex + delta })),
    fix: f.fix && { ...f.fix, replacements: f.fix.replacements.map((r) => ({ ...r, startIndex: r.startIndex + delta, endIndex: r.endIndex + delta })) },
  };
}
