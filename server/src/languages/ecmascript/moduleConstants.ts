// Module constants a function scans (issue 13, round 8): a top-level `const` built from literals and
// spread names is fixed when the module loads, so a scan of it is bounded by construction. Each unit
// reports what its own text defines and changes in place (ecmascriptNameFacts, the module summary
// merges them), so a function's finding depends on the constant's unit through the summary only.
import type { ModuleSummary, UnitNameFacts } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';

const IDENTIFIER = '[A-Za-z_$\\u0080-\\uffff][\\w$\\u0080-\\uffff]*';
/** A name changed in place (`NAME.push(`, `NAME.splice(`, `NAME.add(`, `NAME +=`, `NAME[k] =`); the tail is a look-ahead so that `a[i] = b.push(x)` finds both. */
const MUTATION = new RegExp(`(?<![\\w$\\u0080-\\uffff])(${IDENTIFIER})(?=\\s*(?:\\.\\s*(?:push|unshift|splice|add|set|fill|copyWithin)\\s*\\(|\\+=|\\[[^\\]\\n]*\\]\\s*=[^=]))`, 'g');
/** A definition at the start of a line: `const NAME =`, `export let NAME =`, `var NAME =`. */
const DEFINITION = new RegExp(`^(?:export\\s+)?(const|let|var)\\s+(${IDENTIFIER})\\s*=(?!=)`, 'gm');
/**
 * An assignment anywhere in the text: of a name (`x = …`, `let x: T = …`) or of a property (`.x = …`),
 * with the value's text up to the end of its line in a look-ahead (so `a = b = v` finds both).
 */
const ASSIGNMENT = new RegExp(`(?:(\\.)|(?<![\\w$.\\u0080-\\uffff]))(${IDENTIFIER})\\s*(?::[^=;]+)?=(?!=)(?=\\s*([^;\\n]*))`, 'g');
/** Traits that only say how a name is assigned (HP206 asks whether every assignment is `Object.create(null)`). */
export const ASSIGNED = 'assigned';
export const PROPERTY_ASSIGNED = 'property-assigned';
export const NULL_PROTOTYPE = 'null-prototype';

const STRING_LITERAL = /'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\$])*`/g;
const CLOSING: Record<string, string> = { '[': ']', '(': ')', '{': '}' };

/**
 * Does `text` (what follows `const NAME =` in the module) start with an array literal (optionally
 * in `new Set(` / `new Map(`) whose items are only literals (strings, numbers, booleans, null,
 * nested arrays of them) and spread names (`...pseudoClasses.functional`)? A bare name or a call
 * among the items is not fixed.
 */
function fixedDisplay(text: string): boolean {
  const keywords = ['true', 'false', 'null', 'undefined'];
  const clean = text.replace(STRING_LITERAL, ' 0 ').replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const head = new RegExp(`^\\s*(?:new\\s+(?:Set|Map)\\s*\\(\\s*)?(\\[)`).exec(clean);
  if (!head) return false;
  const open = head.index + head[0].length - 1;
  const stack: string[] = [];
  let end = -1;
  for (let i = open; i < clean.length && end < 0; i++) {
    const c = clean[i];
    if (c in CLOSING) stack.push(CLOSING[c]);
    else if (c === ']' || c === ')' || c === '}') {
      if (stack.pop() !== c) return false;
      if (!stack.length) end = i;
    }
  }
  if (end < 0) return false;
  const items = clean.slice(open + 1, end).replace(new RegExp(`\\.\\.\\.\\s*[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*`, 'g'), ' 0 ');
  // Numbers and the language's constants out; nothing else may remain but punctuation.
  const rest = items.replace(/(?<![\w$])\d[\w.]*/g, ' ').replace(/[A-Za-z_$][\w$]*/g, (w) => (keywords.includes(w) ? ' ' : '\u0000'));
  return /^[\s,:\-+()[\]{}.]*$/.test(rest);
}

/**
 * What a unit's text defines and changes in place: each line-start `const|let|var NAME =` (traits
 * `const` and, for a const whose value is a fixed display, `fixed`), each assignment of a name or a
 * property (`assigned` / `property-assigned`, and `null-prototype` for `Object.create(null)`), and
 * every name changed in place.
 */
export function ecmascriptNameFacts(unit: SyntaxNode): UnitNameFacts {
  const text = unit.text;
  const definitions: { name: string; traits: string[] }[] = [];
  for (const m of text.matchAll(DEFINITION)) {
    // At the unit's start `^` is a statement start wherever the unit stands (its text alone decides, review 7 R7-4).
    const traits = m[1] === 'const' ? ['const'] : [];
    if (m[1] === 'const' && fixedDisplay(text.slice(m.index + m[0].length))) traits.push('fixed');
    definitions.push({ name: m[2], traits });
  }
  for (const m of text.matchAll(ASSIGNMENT)) {
    const traits = [m[1] ? PROPERTY_ASSIGNED : ASSIGNED];
    if (/^Object\.create\(\s*null\s*\)/.test(m[3].trim())) traits.push(NULL_PROTOTYPE);
    definitions.push({ name: m[2], traits });
  }
  const mutated = new Set<string>();
  for (const m of text.matchAll(MUTATION)) mutated.add(m[1]);
  return { definitions, mutated };
}

/**
 * A top-level `const NAME = [...]` (or `new Set([...])`) whose items are literals or spreads of
 * other names (`[...pseudoClasses.functional, 'x']`), defined once and never pushed to or spliced
 * in the module.
 */
export function fixedModuleConstant(name: string, module: ModuleSummary): boolean {
  const facts = module.nameFacts(name);
  const declared = facts.definitions.filter((d) => !d.includes(ASSIGNED) && !d.includes(PROPERTY_ASSIGNED));
  return declared.length === 1 && declared[0].includes('fixed') && !facts.mutated;
}

/**
 * Is every assignment of `name` in the module (of the name itself, or of a property by that name)
 * `Object.create(null)`, and is there one? V8 makes such objects dictionaries from the start.
 */
export function nullPrototypeEverywhere(name: string, property: boolean, module: ModuleSummary): boolean {
  const kind = property ? PROPERTY_ASSIGNED : ASSIGNED;
  const assigned = module.nameFacts(name).definitions.filter((d) => d.includes(kind));
  return assigned.length > 0 && assigned.every((d) => d.includes(NULL_PROTOTYPE));
}
