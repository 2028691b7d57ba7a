// The modules a JavaScript/TypeScript module imports by relative path (`import { cbrt } from
// '../utils/number.js'`), read and parsed on demand, each with its own grammar (a `.ts` module
// imported from JavaScript is TypeScript): where a parameter the function only passes on
// (`cbrt(x)`) gets its type from what the imported function's parameter needs (usage.ts). A
// TypeScript ESM import names the module as it will be emitted (`./m.js` for `m.ts`): the
// TypeScript file is found too.

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { GrammarName, SyntaxNode } from '../../../parsing';
import type { ExampleContext } from '../../../execution/language';
import { ShortCache } from '../../../execution/shortCache';

export interface EcmascriptProject {
  /** The module `spec` (relative to the importing module `from`, a path) names, parsed; undefined when it is not a readable relative module. */
  module(spec: string, from: string): { root: SyntaxNode; file: string } | undefined;
}

const MAX_BYTES = 400_000;
const EXTENSIONS = ['', '.js', '.mjs', '.cjs', '.ts', '.tsx', '/index.js', '/index.ts'];
/** What a TypeScript ESM import's emitted extension stands for (`./m.js` → m.ts, m.tsx). */
const EMITTED: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const cache = new ShortCache<string, { root: SyntaxNode; file: string } | null>();

/** The grammar of an ECMAScript file by its name (`.ts` TypeScript, `.tsx` TSX, else JavaScript, JSX included). */
export function grammarOfFile(file: string): GrammarName {
  if (/\.tsx$/i.test(file)) return 'tsx';
  if (/\.[mc]?ts$/i.test(file)) return 'typescript';
  return 'javascript';
}

/** A file's parser: its own grammar where the context can parse with any, else the context's. */
export function fileParser(ctx: Pick<ExampleContext, 'parse' | 'parseWith'>): (text: string, file: string) => SyntaxNode {
  return (text, file) => (ctx.parseWith ? ctx.parseWith(grammarOfFile(file), text) : ctx.parse(text));
}

/** Relative imports of the modules around `file`, each parsed with its own grammar by `parse`. */
export function ecmascriptProject(parse: (text: string, file: string) => SyntaxNode): EcmascriptProject {
  return {
    module(spec, from) {
      if (!spec.startsWith('.')) return undefined;
      const base = resolve(dirname(from), spec);
      const cached = cache.get(base);
      if (cached !== undefined) return cached ?? undefined;
      let found: { root: SyntaxNode; file: string } | undefined;
      const emitted = /\.[mc]?jsx?$/.exec(base)?.[0];
      const candidates = [...EXTENSIONS.map((ext) => base + ext), ...(emitted ? EMITTED[emitted].map((ext) => base.slice(0, -emitted.length) + ext) : [])];
      for (const file of candidates) {
        try {
          const st = statSync(file);
          if (!st.isFile() || st.size > MAX_BYTES) continue;
          found = { root: parse(readFileSync(file, 'utf8'), file), file };
          break;
        } catch {
          // not this one
        }
      }
      cache.set(base, found ?? null);
      return found;
    },
  };
}

/**
 * The function a module defines under `name` at its top level: `function name(…)`, exported or
 * not, or `var name = <function>` (also `Math.cbrt || function cbrt(x) {…}`: the function on the right).
 */
export function topFunction(root: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const top of root.namedChildren) {
    const d = top.type === 'export_statement' ? top.child('declaration') : top;
    if ((d?.type === 'function_declaration' || d?.type === 'generator_function_declaration') && d.child('name')?.text === name) return d;
    if (d?.type === 'lexical_declaration' || d?.type === 'variable_declaration') {
      for (const decl of d.namedChildren) {
        if (decl.type !== 'variable_declarator' || decl.child('name')?.text !== name) continue;
        let value = decl.child('value');
        while (value?.type === 'binary_expression' && (value.child('operator')?.text === '||' || value.child('operator')?.text === '??')) value = value.child('right');
        if (value?.type === 'arrow_function' || value?.type === 'function_expression' || value?.type === 'function') return value;
      }
    }
  }
  return undefined;
}
