// The modules a JavaScript/TypeScript module imports by relative path (`import { cbrt } from
// '../utils/number.js'`), read and parsed on demand, each with its own grammar (a `.ts` module
// imported from JavaScript is TypeScript): where a parameter the function only passes on
// (`cbrt(x)`) gets its type from what the imported function's parameter needs (usage.ts). A
// TypeScript ESM import names the module as it will be emitted (`./m.js` for `m.ts`): the
// TypeScript file is found too.

import { statSync } from 'node:fs';
import { readRegularText } from '../../../analysis/regularFile';
import { dirname, resolve } from 'node:path';
import type { GrammarName, SyntaxNode } from '../../../parsing';
import type { ExampleContext } from '../../../execution/language';
import { ShortCache } from '../../../execution/shortCache';
import { isPlainFunctionExpression } from '../syntax';

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
          found = { root: parse(readRegularText(file, MAX_BYTES), file), file };
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
        if (isPlainFunctionExpression(value)) return value;
      }
    }
  }
  return undefined;
}

/** The function a CommonJS module exports as a whole (`module.exports = dfs;` with `function dfs(…)`). */
function exportedFunction(root: SyntaxNode): SyntaxNode | undefined {
  for (const top of root.namedChildren) {
    const a = top.type === 'expression_statement' ? top.namedChildren[0] : undefined;
    if (a?.type !== 'assignment_expression' || a.child('left')?.text !== 'module.exports') continue;
    const right = a.child('right');
    if (right?.type === 'identifier') return topFunction(root, right.text);
    if (isPlainFunctionExpression(right)) return right;
  }
  return undefined;
}

/**
 * The function a call of `name` in the module at `file` (parsed: `root`) reaches: one of the
 * module's own top-level functions, or one it imports by relative path — `import { f } from
 * './m.js'`, `var f = require('./m')` (the module's `module.exports`), `var f = require('./m').g`.
 */
export function calledFunction(name: string, root: SyntaxNode, file: string, project: EcmascriptProject): { def: SyntaxNode; root: SyntaxNode; file: string } | undefined {
  const own = topFunction(root, name);
  if (own) return { def: own, root, file };
  for (const top of root.namedChildren) {
    if (top.type === 'import_statement') {
      const spec = top.child('source')?.text.slice(1, -1);
      const s = top.descendants().find((d) => d.type === 'import_specifier' && (d.child('alias') ?? d.child('name'))?.text === name);
      const m = spec && s ? project.module(spec, file) : undefined;
      const def = m && topFunction(m.root, s!.child('name')!.text);
      if (m && def) return { def, root: m.root, file: m.file };
    }
    if (top.type !== 'lexical_declaration' && top.type !== 'variable_declaration') continue;
    for (const decl of top.namedChildren) {
      if (decl.type !== 'variable_declarator' || decl.child('name')?.text !== name) continue;
      // require('./m') or require('./m').g
      let value = decl.child('value');
      const member = value?.type === 'member_expression' ? value.child('property')?.text : undefined;
      if (member) value = value!.child('object');
      if (value?.type !== 'call_expression' || value.child('function')?.text !== 'require') continue;
      const spec = value.child('arguments')?.namedChildren[0];
      if (spec?.type !== 'string') continue;
      const m = project.module(spec.text.slice(1, -1), file);
      const def = m && (member ? topFunction(m.root, member) : exportedFunction(m.root));
      if (m && def) return { def, root: m.root, file: m.file };
    }
  }
  return undefined;
}
