// Inputs from doctests: a `>>>` example that calls the function (its own docstring first, then
// the module's other docstrings, then the project's `.doctest` files) gives the argument shapes; the examples before it in
// the same docstring build them (`>>> G = nx.path_graph(4)`), scaled to n by example.ts.

import type { SyntaxNode } from '../../../parsing';
import type { ExampleContext, ExampleInput, ExampleSubject } from '../../../execution/language';
import { basename, relative } from 'node:path';
import { projectFiles, projectRoot } from './callsites';
import { pythonExample } from './example';
import { topLevels } from './extract';

interface DoctestStatement {
  code: string;
  /** 1-based line in the file of its `>>>`. */
  line: number;
  output: string;
}

/** The `>>>` statements of a docstring, each with its continuation lines and expected output. */
export function doctestStatements(docstring: SyntaxNode): DoctestStatement[] {
  return doctestLines(docstring.text, docstring.startPosition.row);
}

/** The `>>>` statements of a text (a docstring, a `.doctest` file) whose first line is line `row` + 1 of its file. */
export function doctestLines(text: string, row: number): DoctestStatement[] {
  const out: DoctestStatement[] = [];
  const lines = text.split('\n');
  let current: DoctestStatement | undefined;
  let inOutput = false;
  lines.forEach((raw, i) => {
    const m = /^\s*(?:[rRuUbB]{0,2}(?:"""|'''))?\s*(>>>|\.\.\.)(?: |$)(.*)$/.exec(raw);
    if (m && (m[1] === '>>>' || (current && !inOutput))) {
      const code = m[2].replace(/\s*("""|''')\s*$/, '');
      if (m[1] === '>>>') {
        current = { code, line: row + i + 1, output: '' };
        out.push(current);
      } else current!.code += `\n${code}`;
      inOutput = false;
      return;
    }
    if (current && raw.trim()) {
      current.output += `${raw.trim()}\n`;
      inOutput = true;
    } else {
      current = undefined;
      inOutput = false;
    }
  });
  return out;
}

function docstrings(root: SyntaxNode, fn: SyntaxNode): SyntaxNode[] {
  const all = [...root.descendants()].filter((n) => n.type === 'string' && n.text.includes('>>>'));
  return [...all.filter((s) => fn.contains(s)), ...all.filter((s) => !fn.contains(s))];
}

/** The first doctest call of the function that can be rebuilt at size n: the module's docstrings, then the project's `.doctest` files. */
export function doctestExample(fn: ExampleSubject, ctx: ExampleContext): ExampleInput | undefined {
  const known = new Set(topLevels(fn.root).flatMap((t) => t.binds));
  const call = new RegExp(`(^|[^\\w])${fn.name}\\s*\\(`);
  const first = (statements: DoctestStatement[], where: string): ExampleInput | undefined => {
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i];
      if (!call.test(s.code) || /doctest:\s*\+SKIP/.test(s.code) || /^Traceback/.test(s.output)) continue;
      const found = pythonExample(fn.name, fn.params, { source: 'doctest', where: `${where}:${s.line}`, setup: statements.slice(0, i).map((x) => x.code), statement: s.code }, known, ctx.parse);
      if (found) return found;
    }
    return undefined;
  };
  const file = ctx.file ? basename(ctx.file) : 'the source';
  for (const doc of docstrings(fn.root, fn.node)) {
    const found = first(doctestStatements(doc), file);
    if (found) return found;
  }
  if (!ctx.file) return undefined;
  // A doctest file runs in a namespace of its own: its `>>> import …` lines bind what it uses.
  const root = projectRoot(ctx.file);
  for (const f of projectFiles(root)) {
    if (!f.path.endsWith('.doctest') || !call.test(f.text)) continue;
    const found = first(doctestLines(f.text, 0), relative(root, f.path));
    if (found) return found;
  }
  return undefined;
}
