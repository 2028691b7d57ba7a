// HP302's quick fix in Python: memoize an exponential recursion with `@functools.cache`.
import type { Fix } from '../../analysis/rule';
import type { FunctionShape } from '../../complexity/adapter';

/** Where `import functools` goes: after a shebang, comments, the module docstring and __future__ imports. */
function importOffset(source: string): number {
  const re = /^(?:#[^\n]*\n|[ \t]*\n)*/y;
  let at = re.exec(source)?.[0].length ?? 0;
  const doc = /^(?:[rRuU]?("""|'''))[\s\S]*?\1[^\n]*\n/y;
  doc.lastIndex = at;
  const d = doc.exec(source);
  if (d) at += d[0].length;
  const future = /^(?:(?:from __future__ import[^\n]*|#[^\n]*|[ \t]*)\n)*/y;
  future.lastIndex = at;
  const f = future.exec(source);
  if (f) {
    // Keep only through the last __future__ line.
    const block = f[0];
    const last = block.lastIndexOf('from __future__');
    if (last >= 0) at += block.indexOf('\n', last) + 1;
  }
  return at;
}

/** `@functools.cache` on a plain function (not a method, not a lambda), and the import when missing. */
export function memoizeFix(source: string, shape: FunctionShape): Fix | undefined {
  const fn = shape.node;
  if (fn.type !== 'function_definition') return undefined;
  const lineStart = source.lastIndexOf('\n', fn.startIndex - 1) + 1;
  const indent = source.slice(lineStart, fn.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const fromImport = /^from functools import [^\n]*\bcache\b/m.test(source);
  const plainImport = /^import functools\s*$/m.test(source);
  const decorator = fromImport ? '@cache' : '@functools.cache';
  const replacements = [{ startIndex: fn.startIndex, endIndex: fn.startIndex, newText: `${decorator}\n${indent}` }];
  if (!fromImport && !plainImport) {
    const at = importOffset(source);
    replacements.push({ startIndex: at, endIndex: at, newText: 'import functools\n' + (at === fn.startIndex || /^(def|class|@)/.test(source.slice(at)) ? '\n\n' : '') });
  }
  return { title: `Memoize \`${shape.name}\` with ${decorator} (its arguments must be hashable)`, replacements };
}
