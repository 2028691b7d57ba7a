// Names whose size is fixed by construction, as a function sees them: a module-level name (bounded
// when it is a fixed display, moduleConstants.ts), and a parameter that only ever receives a literal
// array (issue 13 round 14: cborg's JSON number lexer, `const swallow = (chars) => …` called only as
// `swallow([48, 49, …, 57])`): its size is written at every call site, so a scan of it in a loop is
// bounded by construction.
import type { ModuleSummary } from '../../analysis/module';
import { moduleConstantEvidence, type SizeEvidence } from '../../analysis/sizeVerdict';
import type { SyntaxNode } from '../../parsing';
import { fixedModuleConstant } from './moduleConstants';
import type { EcmascriptFacts } from './facts';
import type { Declaration } from './scope';
import { isConstantArrayLiteral, parameterNames, unwrap } from './syntax';

/** What a function sees of a module-level name's size: a fixed display is bounded by construction; anything else is not visible. */
export function moduleNameEvidence(name: string, module: ModuleSummary): SizeEvidence {
  const fixed = fixedModuleConstant(name, module);
  return fixed ? moduleConstantEvidence(name, fixed) : { sized: false, why: `\`${name}\` is a module-level name; its size is not visible from this function` };
}

/** The name a function is bound to locally: `const f = (…) => …`, `function f(…) {…}`. */
function boundName(fn: SyntaxNode): SyntaxNode | null {
  if (fn.type === 'function_declaration') return fn.child('name');
  const p = fn.parent;
  if (p?.type === 'variable_declarator' && fn.field === 'value' && p.child('name')?.type === 'identifier') return p.child('name');
  return null;
}

/**
 * Evidence that parameter `d` is bounded by construction: its function is bound to a local name that
 * is used only as a callee, and every call passes an array literal of literals at the parameter's
 * position. Null otherwise (the function escapes, a call passes something else, or none is seen).
 */
export function literalArgumentEvidence(d: Declaration, facts: EcmascriptFacts): SizeEvidence | null {
  const fn = d.scope;
  const index = parameterNames(fn).indexOf(d.name);
  const name = index >= 0 ? boundName(fn) : null;
  if (!name) return null;
  const binding = facts.declarationOf(name.text, name);
  if (!binding || binding.isParameter || binding.scope === fn) return null;
  let calls = 0;
  for (const n of binding.scope.descendants()) {
    // Any other reference is an escape: `{ swallow }` is a shorthand property, not an identifier (review 12 S4).
    if ((n.type === 'shorthand_property_identifier' || n.type === 'shorthand_property_identifier_pattern') && n.text === name.text) return null;
    if (n.type !== 'identifier' || n.text !== name.text || n.startIndex === name.startIndex) continue;
    const call = n.parent;
    if (call?.type !== 'call_expression' || n.field !== 'function') return null;
    const arg = unwrap(call.child('arguments')?.namedChildren.filter((a) => a.type !== 'comment')[index] ?? null);
    if (!arg || !isConstantArrayLiteral(arg) || !arg.namedChildren.every((c) => c.type === 'number' || c.type === 'string' || c.type === 'comment')) return null;
    calls++;
  }
  if (calls === 0) return null;
  return { sized: false, why: `every call of \`${name.text}\` passes \`${d.name}\` a literal array`, small: true, bounded: true };
}
