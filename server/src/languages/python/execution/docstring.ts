// Parameter types a Python docstring states, in the three common styles:
//   Sphinx   `:type xs: list of int`, `:param list xs: …`
//   Google   `xs (list[int]): …` under `Args:`
//   NumPy    `xs : list of int, optional` under `Parameters`
// Only types Hotpath can build are returned, written as annotations ("list of int" → list[int]).

import type { SyntaxNode } from '../../../parsing';

const SIMPLE: [RegExp, string][] = [
  [/^(int|integer|positive int(eger)?|non-negative int(eger)?|nonnegative int(eger)?)$/, 'int'],
  [/^(float|number|real|scalar)$/, 'float'],
  [/^(str|string|unicode|text)$/, 'str'],
  [/^(bool|boolean)$/, 'bool'],
  [/^(bytes|bytestring)$/, 'bytes'],
  [/^(dict|dictionary|mapping)$/, 'dict[str, int]'],
  [/^(set)$/, 'set[int]'],
  [/^(list|tuple|sequence|iterable|iterator|array|array[-_ ]like|collection|container)$/, 'list[int]'],
];

/** A docstring type phrase as an annotation Hotpath parses, or undefined. */
export function docTypeToAnnotation(phrase: string): string | undefined {
  let t = phrase.trim().replace(/[`'"]/g, '').replace(/,?\s*\(?optional\)?\s*$/i, '').replace(/,\s*default.*$/i, '').trim().toLowerCase();
  if (!t) return undefined;
  // Already an annotation: list[int], Dict[str, int].
  if (/^[a-z_.]+\[[\w\s,[\].]+\]$/.test(t)) return t;
  const of = /^(list|tuple|sequence|iterable|iterator|set|array|collection|container)s?\s+of\s+(.+)$/.exec(t);
  if (of) {
    const inner = docTypeToAnnotation(of[2].replace(/s$/, '')) ?? docTypeToAnnotation(of[2]);
    if (!inner) return undefined;
    return of[1] === 'set' ? `set[${inner}]` : `list[${inner}]`;
  }
  t = t.replace(/\s+or\s+none$/, '');
  for (const [re, ann] of SIMPLE) if (re.test(t)) return ann;
  return undefined;
}

/** The function's docstring text, if its body starts with one. */
function docstringOf(def: SyntaxNode): string | undefined {
  const first = def.child('body')?.namedChildren[0];
  const s = first?.type === 'expression_statement' ? first.namedChildren[0] : undefined;
  if (s?.type !== 'string') return undefined;
  return s.text.replace(/^[rbuRBU]*("""|'''|"|')/, '').replace(/("""|'''|"|')$/, '');
}

/** Parameter name → annotation text, from the docstring. */
export function docstringTypes(def: SyntaxNode): Map<string, string> {
  const out = new Map<string, string>();
  const doc = docstringOf(def);
  if (!doc) return out;
  const put = (name: string, phrase: string) => {
    const ann = docTypeToAnnotation(phrase);
    if (ann && !out.has(name)) out.set(name, ann);
  };
  for (const m of doc.matchAll(/:type\s+(\w+)\s*:\s*([^\n]+)/g)) put(m[1], m[2]);
  for (const m of doc.matchAll(/:param\s+([^:\n]+?)\s+(\w+)\s*:/g)) put(m[2], m[1]);
  // Google: under Args:/Arguments:/Parameters:, `name (type): …`.
  for (const m of doc.matchAll(/^\s*(\w+)\s*\(([^)\n]+)\)\s*:/gm)) put(m[1], m[2]);
  // NumPy: `name : type` lines (the section's underline is not needed to recognise them).
  for (const m of doc.matchAll(/^\s*(\w+)\s+:\s+([^\n]+)$/gm)) put(m[1], m[2]);
  return out;
}
