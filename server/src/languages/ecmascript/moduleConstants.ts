// Module constants a function scans (issue 13, round 8): a top-level `const` built from literals and
// spread names is fixed when the module loads, so a scan of it is bounded by construction. Each unit
// reports what its own text defines and changes in place (ecmascriptNameFacts, the module summary
// merges them), so a function's finding depends on the constant's unit through the summary only.
import { ALIAS_PREFIX, aliasedNames, ASSIGNED, PROPERTY_ASSIGNED, type ModuleSummary, type UnitNameFacts } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';

const IDENTIFIER = '[A-Za-z_$\\u0080-\\uffff][\\w$\\u0080-\\uffff]*';
/** A name changed in place (`NAME.push(`, `NAME.splice(`, `NAME.add(`, `NAME +=`, `NAME[k] =`); the tail is a look-ahead so that `a[i] = b.push(x)` finds both. */
const MUTATION = new RegExp(`(?<![\\w$\\u0080-\\uffff])(${IDENTIFIER})(?=\\s*(?:\\.\\s*(?:push|unshift|splice|add|set|fill|copyWithin)\\s*\\(|\\+=|\\[[^\\]\\n]*\\]\\s*=[^=]))`, 'g');
/** A name whose object gets a property (`NAME.key = v`, `Object.assign(NAME, …)`, `Object.defineProperty(NAME, …)`): an object display that grows. */
const PROPERTY_GROWTH = new RegExp(`(?<![\\w$.\\u0080-\\uffff])(${IDENTIFIER})\\s*\\.\\s*${IDENTIFIER}\\s*=(?!=)|Object\\.(?:assign|defineProperty|defineProperties)\\(\\s*(${IDENTIFIER})`, 'g');
/** A definition at the start of a line: `const NAME =`, `export let NAME =`, `var NAME =`. */
const DEFINITION = new RegExp(`^(?:export\\s+)?(const|let|var)\\s+(${IDENTIFIER})\\s*=(?!=)`, 'gm');
/** The trait of an assignment whose value is `Object.create(null)` (HP206 asks whether every assignment has it); the binding-only traits are analysis/module.ts's. */
const NULL_PROTOTYPE = 'null-prototype';

const STRING_LITERAL = /'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\$])*`/g;
const CLOSING: Record<string, string> = { '[': ']', '(': ')', '{': '}' };

/**
 * Does `text` (what follows `const NAME =` in the module) start with an array literal (optionally
 * in `new Set(` / `new Map(`) or an object display whose items are only literals (strings, numbers,
 * booleans, null, nested arrays of them) and spread names (`...pseudoClasses.functional`)? A bare
 * name or a call among the items is not fixed. With the names spread (the first of each dotted name):
 * the display is fixed only if each of those is (`fixedModuleConstant`).
 */
function fixedDisplay(text: string): { kind: 'array' | 'object'; spreads: string[] } | null {
  const keywords = ['true', 'false', 'null', 'undefined'];
  const clean = text.replace(STRING_LITERAL, ' 0 ').replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const head = new RegExp(`^\\s*(?:new\\s+(?:Set|Map)\\s*\\(\\s*)?(\\[)|^\\s*(\\{)`).exec(clean);
  if (!head) return null;
  const object = !!head[2];
  const open = head.index + head[0].length - 1;
  const stack: string[] = [];
  let end = -1;
  for (let i = open; i < clean.length && end < 0; i++) {
    const c = clean[i];
    if (c in CLOSING) stack.push(CLOSING[c]);
    else if (c === ']' || c === ')' || c === '}') {
      if (stack.pop() !== c) return null;
      if (!stack.length) end = i;
    }
  }
  if (end < 0) return null;
  // An object display `{ T_USE: 102, 'k': 'v' }`: its keys are names or literals before a colon.
  const body = object ? clean.slice(open + 1, end).replace(new RegExp(`(^|[,{])\\s*(?:[A-Za-z_$][\\w$]*|0)\\s*:`, 'g'), '$1 ') : clean.slice(open + 1, end);
  const spreads: string[] = [];
  const items = body.replace(new RegExp(`\\.\\.\\.\\s*([A-Za-z_$][\\w$]*)(?:\\.[A-Za-z_$][\\w$]*)*`, 'g'), (_, root: string) => {
    if (!spreads.includes(root)) spreads.push(root);
    return ' 0 ';
  });
  // Numbers and the language's constants out; nothing else may remain but punctuation.
  const rest = items.replace(/(?<![\w$])\d[\w.]*/g, ' ').replace(/[A-Za-z_$][\w$]*/g, (w) => (keywords.includes(w) ? ' ' : '\u0000'));
  return /^[\s,:\-+()[\]{}.]*$/.test(rest) ? { kind: object ? 'object' : 'array', spreads } : null;
}

/** An identifier's characters (ASCII letters, digits, `_`, `$`, and anything past ASCII), by char code. */
function identifierCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;
}

/** A declaration with a type at the start of its line: `export let x?: T =`, `private readonly x!: T =` (the name before the first colon). */
const TYPED_DECLARATION = /^\s*(?:(?:export|declare|let|const|var|public|private|protected|readonly|static|override|accessor)\s+)*([A-Za-z_$][\w$]*)\s*[?!]?\s*:/;
/** A typed parameter with a default, or a later declarator: `(a, x: T = …`, `let a = 0, b: T = …` (a type without brackets, parentheses or commas). */
const TYPED_PARAMETER = /[(,]\s*([A-Za-z_$][\w$]*)\s*\??\s*:[^=;(),<>{}[\]]*$/;
const NULL_PROTOTYPE_VALUE = /^Object\.create\(\s*null\s*\)/;
/** Is the value assigned by the `=` at `at` `Object.create(null)`? */
const nullPrototypeAt = (text: string, at: number): boolean => NULL_PROTOTYPE_VALUE.test(text.slice(at + 1, at + 40).trimStart());

/** `=` preceded by one of these is an operator (`==`, `!=`, `<=`, `+=`, `??=`, …), not an assignment. */
const OPERATOR_BEFORE = new Set([...'=!<>+-*/%&|^?'].map((c) => c.charCodeAt(0)));

/**
 * Each assignment in the text: of a name (`x = …`, `let x: T = …`, a default `x = …`) or of a
 * property (`a.x = …`), with whether the value is `Object.create(null)`. Found from each `=` by
 * looking back (a scan with a regular expression from every identifier cost 10% of a JavaScript check).
 */
function assignmentsIn(text: string): { name: string; property: boolean; nullPrototype: boolean }[] {
  const out: { name: string; property: boolean; nullPrototype: boolean }[] = [];
  for (let at = text.indexOf('='); at !== -1; at = text.indexOf('=', at + 1)) {
    const next = text.charCodeAt(at + 1);
    if (next === 61 /* = */ || next === 62 /* > */) {
      at++;
      continue;
    }
    if (OPERATOR_BEFORE.has(text.charCodeAt(at - 1))) continue;
    // A type annotation before the `=` (`let x: T | null = …`, `(x: T = …)`): the name before the annotation's colon,
    // whatever the type ends with (review 8, L0: reading back from `=` took `null` or stopped at `}`).
    const line = text.slice(text.lastIndexOf('\n', at) + 1, at);
    if (line.includes(':')) {
      const typed = TYPED_PARAMETER.exec(line) ?? TYPED_DECLARATION.exec(line);
      if (typed) {
        out.push({ name: typed[1], property: false, nullPrototype: nullPrototypeAt(text, at) });
        continue;
      }
    }
    let i = at - 1;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
    let end = i + 1;
    // A type annotation with brackets (`x: Map<K, V> = …`): the name before the annotation's colon on this line.
    if (text[i] === '>' || text[i] === ']') {
      // (at most 120 characters back: the pattern backtracks over the line)
      const lineStart = Math.max(text.lastIndexOf('\n', i) + 1, i - 120);
      const typed = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*:[^=;:]*$/.exec(text.slice(lineStart, i + 1));
      if (!typed) continue; // `x[k] = …` assigns an element, not `x`
      i = lineStart + typed.index + typed[1].length - 1;
      end = i + 1;
    }
    while (i >= 0 && identifierCode(text.charCodeAt(i))) i--;
    if (i + 1 === end) continue;
    const name = text.slice(i + 1, end);
    if (/^\d/.test(name)) continue;
    out.push({ name, property: text[i] === '.', nullPrototype: nullPrototypeAt(text, at) });
  }
  return out;
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
    const display = m[1] === 'const' ? fixedDisplay(text.slice(m.index + m[0].length)) : null;
    // The names it spreads as aliases: a reader's cache key then holds their facts too (nameFactsKey).
    if (display) traits.push(display.kind === 'object' ? 'fixed-object' : 'fixed', ...display.spreads.map((n) => ALIAS_PREFIX + n));
    definitions.push({ name: m[2], traits });
  }
  // One definition per distinct assignment kind of a name: fifty `i = …` in a unit say what one says.
  const seen = new Set<string>();
  for (const a of assignmentsIn(text)) {
    const traits = a.nullPrototype ? [a.property ? PROPERTY_ASSIGNED : ASSIGNED, NULL_PROTOTYPE] : [a.property ? PROPERTY_ASSIGNED : ASSIGNED];
    const key = `${a.name}\0${traits.join('+')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    definitions.push({ name: a.name, traits });
  }
  const mutated = new Set<string>();
  for (const m of text.matchAll(MUTATION)) mutated.add(m[1]);
  for (const m of text.matchAll(PROPERTY_GROWTH)) mutated.add(m[1] ?? m[2]);
  return { definitions, mutated };
}

/**
 * A top-level `const NAME = [...]` (or `new Set([...])`, or an object display) whose items are
 * literals or spreads of other such constants (`[...BASE, 'x']`, `[...TABLES.css, 'x']`), defined
 * once and never pushed to or spliced in the module. A spread of anything else (an import, a
 * parameter, `globalThis.userList`) holds what the input gives, so the constant is not fixed (review
 * 12 S6). One level: a spread constant must be built from literals alone, since a reader's cache key
 * holds the facts of the names spread but not of theirs (nameFactsKey).
 */
export function fixedModuleConstant(name: string, module: ModuleSummary, spread = true): 'array' | 'object' | null {
  const facts = module.nameFacts(name);
  const declared = facts.definitions.filter((d) => !d.includes(ASSIGNED) && !d.includes(PROPERTY_ASSIGNED));
  if (declared.length !== 1 || facts.mutated) return null;
  const spreads = aliasedNames({ definitions: declared, mutated: false });
  if (spreads.length > 0 && (!spread || spreads.some((n) => n === name || !fixedModuleConstant(n, module, false)))) return null;
  return declared[0].includes('fixed') ? 'array' : declared[0].includes('fixed-object') ? 'object' : null;
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
