// Set-up code around a size-dependent finding (issue 13, round 4), the ECMAScript twin of
// python/setupCode.ts: a constructor or a function named for loading, initialising, registering,
// configuring or compiling runs once per object or definition (analysis/sizeVerdict.ts setupEvidence).
import { isSetupName } from '../../analysis/module';
import { setupEvidence, type SizeEvidence } from '../../analysis/sizeVerdict';
import type { EcmascriptFacts } from './facts';
import type { SyntaxNode } from '../../parsing';
import type { Loop } from './loops';
import { FUNCTION_TYPES as FUNCTIONS } from './syntax';

/**
 * The name of the innermost named function around `node`: a declaration, a method (`constructor`),
 * or a function bound to a variable or field. A callback passed to a call (`rules.forEach(r => …)`)
 * is part of the function around it; any other anonymous function gives no name.
 */
function enclosingFunction(node: SyntaxNode): { name: string; node: SyntaxNode } | null {
  for (let a = node.parent; a; a = a.parent) {
    if (!FUNCTIONS.has(a.type)) continue;
    const own = a.child('name')?.text;
    if (own) return { name: own, node: a };
    const holder = a.parent;
    if (holder?.type === 'arguments') continue;
    const held = holder?.type === 'variable_declarator' || holder?.type === 'pair' || holder?.type === 'public_field_definition' || holder?.type === 'field_definition' ? holder.child('name')?.text ?? holder.child('key')?.text ?? holder.child('property')?.text : null;
    return held ? { name: held, node: a } : null;
  }
  return null;
}

/**
 * Can only this file call `fn`: a `#private` or `_private` method, or a function declared at the top
 * level without `export`? (Not nested in another function: what the file's calls name is a unit.)
 */
function filePrivate(fn: { name: string; node: SyntaxNode }): boolean {
  const method = fn.node.type === 'method_definition';
  for (let a = fn.node.parent; a; a = a.parent) if (FUNCTIONS.has(a.type) || (!method && a.type === 'export_statement')) return false;
  if (method) return /^[#_]/.test(fn.name);
  return fn.node.type === 'function_declaration' || fn.node.type === 'generator_function_declaration' || fn.node.parent?.type === 'variable_declarator';
}

/**
 * Evidence that the finding runs in set-up code, or null (see setupEvidence): its function is named
 * for set-up, or only this file can call it (filePrivate) and it does so only from set-up code.
 * `loops`: the scaling loops.
 */
export function setupContext(finding: SyntaxNode, loops: readonly Loop[], facts: EcmascriptFacts): SizeEvidence | null {
  const fn = enclosingFunction(finding);
  if (!fn) return null;
  const path = isSetupName(fn.name) ? [fn.name] : filePrivate(fn) ? facts.ctx.module.setupPath(fn.name) : null;
  if (!path) return null;
  // The names in what each loop runs over (`rules` in `rules.forEach`, `lines` in `while (lines.length)`).
  const names = loops.flatMap((l) => {
    const it = l.iterable ?? l.node.child('condition');
    return it ? [it, ...it.descendants()].filter((n) => n.type === 'identifier' || n.type === 'property_identifier').map((n) => n.text) : [];
  });
  const params = new Set([...(fn.node.child('parameters')?.descendants() ?? [])].filter((n) => n.type === 'identifier').map((n) => n.text));
  return setupEvidence(path, names, names.some((n) => params.has(n) || /^(?:readFileSync|createReadStream|readFile)$/.test(n)));
}
