// Module-level facts that rules read across units: what each top-level name is bound to, and which
// names code after a given point mentions. Rules read other units only through these (never
// through the text outside their unit), so the engine can tell when a cached finding is stale.

import type { SyntaxNode } from '../parsing';

export type ValueKind = 'list' | 'set' | 'dict' | 'tuple' | 'str' | 'number' | 'bool' | 'none' | 'function' | 'class' | 'deque' | 'map' | 'module' | 'unknown';

export interface ModuleSummary {
  /** Top-level names and the kind of value last bound to them (by import, assignment, def or class). */
  readonly bindings: ReadonlyMap<string, ValueKind>;
  /**
   * Whether a unit starting at or after `offset` mentions `name` as an identifier, or reaches names
   * dynamically (eval, exec, locals, vars, globals).
   */
  mentionedAfter(offset: number, name: string): boolean;
  /**
   * The call path by which set-up code is the only way into the file's function `name`, set-up
   * function first (`['__init__', '_index']`): every other unit of the file that mentions `name` is a
   * function named for set-up (isSetupName below) or itself reached only from one.
   * null when code that is not set-up mentions it, or nothing in the file does.
   */
  setupPath(name: string): readonly string[] | null;
  /**
   * What the whole module's text says about a name beyond its kind: each definition of it with the
   * traits its language reads there (a fixed `const` display, a generator `def`), and whether some
   * unit changes it in place. Built once per module from every unit's UnitNameFacts.
   */
  nameFacts(name: string): NameFacts;
}

/** One unit's facts about names (LanguageSpec.nameFacts), read from the unit's own text. */
export interface UnitNameFacts {
  /** Each definition in the unit (`const X = …`, `def f(…)`), with the traits the language reads from it. */
  readonly definitions: readonly { readonly name: string; readonly traits: readonly string[] }[];
  /** Names the unit changes in place (`X.push(…)`, `X[k] = …`). */
  readonly mutated: ReadonlySet<string>;
}

/** A name's facts over the whole module: the traits of each of its definitions, in document order. */
export interface NameFacts {
  readonly definitions: readonly (readonly string[])[];
  readonly mutated: boolean;
}

export const NO_NAME_FACTS: UnitNameFacts = { definitions: [], mutated: new Set() };
const NOTHING: NameFacts = { definitions: [], mutated: false };

export const EMPTY_MODULE: ModuleSummary = { bindings: new Map(), mentionedAfter: () => false, setupPath: () => null, nameFacts: () => NOTHING };

/** ModuleSummary.nameFacts over the units' facts, in document order. */
export function mergeNameFacts(parts: Iterable<UnitNameFacts>): ModuleSummary['nameFacts'] {
  const merged = new Map<string, { definitions: (readonly string[])[]; mutated: boolean }>();
  const entry = (name: string) => {
    let e = merged.get(name);
    if (!e) merged.set(name, (e = { definitions: [], mutated: false }));
    return e;
  };
  for (const part of parts) {
    for (const d of part.definitions) entry(d.name).definitions.push(d.traits);
    for (const name of part.mutated) entry(name).mutated = true;
  }
  return (name) => merged.get(name) ?? NOTHING;
}

/**
 * A trait `alias:NAME`: the definition binds the value of NAME (another name's facts decide what it
 * holds), so a unit that reads the name also depends on NAME's facts (dependencyKey, aliasedNames).
 */
export const ALIAS_PREFIX = 'alias:';

/** The names a name's definitions are aliases of (`alias:NAME` traits). */
export function aliasedNames(facts: NameFacts): string[] {
  const out: string[] = [];
  for (const d of facts.definitions) for (const t of d) if (t.startsWith(ALIAS_PREFIX)) out.push(t.slice(ALIAS_PREFIX.length));
  return out;
}

/**
 * Traits that only say how a name is bound. Every reader's answer needs some definition with another
 * trait (`fixed`, `generator`, `self`, `null-prototype`), so they alone never change one.
 */
export const ASSIGNED = 'assigned';
export const PROPERTY_ASSIGNED = 'property-assigned';
const BINDING_ONLY = new Set([ASSIGNED, PROPERTY_ASSIGNED]);
/**
 * Traits that say how a name is used (a call's argument shapes, a name handed on as a value:
 * languages/python/callShapes.ts). Like the binding-only ones they never change an answer alone, so
 * they enter a key only beside a trait some reader asks about.
 */
export const USE_PREFIX = 'use:';
const bindingOnly = (t: string) => BINDING_ONLY.has(t) || t.startsWith(USE_PREFIX);

/**
 * A name's facts as a cache key part: empty when no definition of the name has a trait beyond how it
 * is bound, since every reader asks about such a trait (a local `out.push` or `i = 0` elsewhere then
 * does not re-analyse the units that mention some `out` or `i`).
 */
/** A name's own key part, once per merged facts object: every unit mentioning a name asks, and a name called all over a large file has a definition per call (use: traits). */
const OWN_KEYS = new WeakMap<NameFacts, string>();

export function nameFactsKey(facts: NameFacts, module?: Pick<ModuleSummary, 'nameFacts'>): string {
  let own = OWN_KEYS.get(facts);
  if (own === undefined) {
    own = facts === NOTHING || !facts.definitions.some((d) => d.some((t) => !bindingOnly(t))) ? '' : `${facts.definitions.map((d) => d.join('+')).join('|')}${facts.mutated ? '!' : ''}`;
    OWN_KEYS.set(facts, own);
  }
  if (own === '') return '';
  // `self.structure = self.structure64`: what the name holds is decided by the aliased name's facts too.
  return module ? own + aliasedNames(facts).map((target) => `>${target}#${nameFactsKey(module.nameFacts(target))}`).join('') : own;
}

export function mergeBindings(parts: Iterable<ReadonlyMap<string, ValueKind>>): ModuleSummary {
  const bindings = new Map<string, ValueKind>();
  for (const part of parts) {
    for (const [name, kind] of part) {
      // A name bound to different kinds in different places is unknown, not the last one.
      const previous = bindings.get(name);
      bindings.set(name, previous === undefined || previous === kind ? kind : 'unknown');
    }
  }
  return { bindings, mentionedAfter: () => false, setupPath: () => null, nameFacts: () => NOTHING };
}

/** A unit as the call graph sees it: the function it defines (null for other statements) and every name it mentions. */
export interface CallerUnit {
  readonly functionName: string | null;
  readonly mentions: ReadonlySet<string>;
}

/**
 * Set-up code by its function's name: a constructor (`__init__`, `constructor`), or a function named
 * for loading, initialising, registering, configuring or compiling (`_loadsemtypes`, `setUp`,
 * `initialize`, `registerHandlers`, `compileRules`). Such code runs once per object or definition
 * and works on what that definition lists (a parser's rules, a lexer's token types, a type
 * hierarchy), not on the data the object later processes.
 */
// A word ends the name or is followed by `_` or a capital (`compile_rules`, `registerType`, not
// `compiler_fixup` or `registered`); `load` may run on in lower case (`_loadsemtypes`, not `loads`).
const SETUP_NAME = /^(?:__init__|__post_init__|constructor|_*(?:load(?!s$)[a-z]*|init|initiali[sz]e|set_?up|setUp|register|configure|compile)(?:$|_|[A-Z]))/;
/** A constructor, or a function named for loading, initialising, registering, configuring or compiling. */
export function isSetupName(name: string): boolean {
  return SETUP_NAME.test(name);
}

/** `_index`, `#index`: private by convention in Python and ECMAScript (dunders are not). */
const PRIVATE = /^(?:#|_(?!_))/;

/**
 * ModuleSummary.setupPath over a file's units: a function is reached only from set-up code when
 * some other unit mentions it and every unit that does is a function that is set-up code by its name
 * (`isSetup`) or a private function (`_index`) in turn reached only from set-up code (a cycle counts
 * as not).
 */
export function setupPaths(units: readonly CallerUnit[], isSetup: (name: string) => boolean = isSetupName): ModuleSummary['setupPath'] {
  const memo = new Map<string, readonly string[] | null>();
  const visiting = new Set<string>();
  // The units that mention each name, in document order: built once, on the first question (the
  // engine asks for every function of the file on every keystroke; scanning every unit per name was
  // quadratic in the file's units).
  let mentioning: Map<string, CallerUnit[]> | undefined;
  const mentioners = (name: string): readonly CallerUnit[] => {
    if (!mentioning) {
      mentioning = new Map();
      for (const u of units) {
        for (const m of u.mentions) {
          const list = mentioning.get(m);
          if (list) list.push(u);
          else mentioning.set(m, [u]);
        }
      }
    }
    return mentioning.get(name) ?? [];
  };
  const path = (name: string): readonly string[] | null => {
    if (memo.has(name)) return memo.get(name)!;
    if (visiting.has(name)) return null;
    visiting.add(name);
    let found: readonly string[] | null = null;
    let callers = 0;
    for (const u of mentioners(name)) {
      if (u.functionName === name) continue;
      callers++;
      // Through a private function only (`_index`, `#index`): a public one may be called from other files.
      const via = u.functionName === null ? null : isSetup(u.functionName) ? [u.functionName] : PRIVATE.test(u.functionName) ? path(u.functionName) : null;
      if (!via) {
        found = null;
        callers = -1;
        break;
      }
      found ??= via;
    }
    visiting.delete(name);
    const result = callers > 0 && found ? [...found, name] : null;
    memo.set(name, result);
    return result;
  };
  return path;
}

/**
 * The name of the function a unit defines: the unit itself or, a level or two down, its one
 * definition (`@decorator def f`, `export function f`, `const f = () => …`, a method). Null for
 * any other statement.
 */
export function definedFunction(node: SyntaxNode, functionTypes: readonly string[]): string | null {
  let n: SyntaxNode | undefined = node;
  for (let depth = 0; n && depth < 4; depth++) {
    if (functionTypes.includes(n.type)) return n.child('name')?.text ?? null;
    // `const f = () => …`: the declarator names the function.
    if (n.type === 'variable_declarator') {
      const value = n.child('value');
      return value && functionTypes.includes(value.type) ? n.child('name')?.text ?? null : null;
    }
    // A string's tokens (an opaque literal's children: parsing/opaque.ts) define nothing.
    if (n.isOpaque) return null;
    const inner: SyntaxNode[] = n.namedChildren.filter((c: SyntaxNode) => c.type !== 'decorator' && c.type !== 'comment');
    if (inner.length !== 1) return null;
    n = inner[0];
  }
  return null;
}

/** Names whose mention in code gives access to every name (`eval("x")`, `locals()`…). */
const DYNAMIC_ACCESS = ['eval', 'exec', 'locals', 'vars', 'globals'];

/**
 * ModuleSummary.mentionedAfter over the units' identifiers: the last unit that mentions each name
 * (or reaches names dynamically) decides.
 */
export function mentionsAfter(units: readonly { readonly names: ReadonlySet<string>; readonly startIndex: number }[]): ModuleSummary['mentionedAfter'] {
  const last = new Map<string, number>();
  let dynamic = -1;
  for (const u of units) {
    for (const name of u.names) last.set(name, u.startIndex);
    if (DYNAMIC_ACCESS.some((d) => u.names.has(d))) dynamic = u.startIndex;
  }
  return (offset, name) => dynamic >= offset || (last.get(name) ?? -1) >= offset;
}
