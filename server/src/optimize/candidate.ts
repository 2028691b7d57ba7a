// Turning a model's answer into a candidate: take the code (up to the closing fence), parse it with
// tree-sitter, reject what does not parse, find the function with the same name and the same
// parameters, and build the replacement of the original function's text (with the imports and
// helper functions the answer adds; anything else it wrote, like example calls, is dropped).
import type { ExecLanguage } from '../execution';
import { lineColumn, positionsOf } from '../analysis/positions';
import { languageById } from '../languages';
import { snapshot, type ParserFactory, type SyntaxNode } from '../parsing';
import type { Candidate } from './types';

export interface ModuleFunction {
  name: string;
  /** The top-level statement (decorators, `export`, `const f = …;` included). */
  node: SyntaxNode;
  /** Parameter names, normalised: `x`, `*args`, `**kw`, `xs?`, `...rest`. */
  params: string[];
}

export function parseModule(parsers: ParserFactory, language: ExecLanguage, text: string, file?: string): { root: SyntaxNode; errorAt?: number } {
  const tree = parsers.create(languageById(language).execution.grammar(file)).parse(text);
  try {
    const root = snapshot(tree.rootNode.walk(), text);
    let errorAt: number | undefined;
    for (const n of root.descendants()) {
      if (n.isError || n.isMissing) {
        errorAt = n.startIndex;
        break;
      }
    }
    return { root, errorAt };
  } finally {
    tree.dispose();
  }
}

function paramNames(params: SyntaxNode | null): string[] {
  if (!params) return [];
  if (params.type === 'identifier') return [params.text];
  const out: string[] = [];
  for (const p of params.namedChildren) {
    if (p.type === 'comment') continue;
    // The name part of `x: int = 3`, `*args`, `xs = []`, `xs?: number[]`, `{ a, b }`.
    let t = p.text;
    if (p.type !== 'object_pattern' && p.type !== 'array_pattern') t = t.split(/[:=]/)[0];
    out.push(t.replace(/\s+/g, ''));
  }
  return out;
}

/** Top-level functions of a parsed module with their parameters (the language plug-in finds them). */
export function moduleFunctions(root: SyntaxNode, language: ExecLanguage): ModuleFunction[] {
  const lang = languageById(language).execution;
  const out: ModuleFunction[] = [];
  for (const t of lang.topLevels(root)) {
    for (const name of t.binds) {
      const fn = lang.functionNode(t.node, name);
      if (fn) out.push({ name, node: t.node, params: paramNames(fn.child('parameters') ?? fn.child('parameter')) });
    }
  }
  return out;
}

/** The code of a model answer: from an opening fence if it has one, up to the closing fence. */
export function codeOf(answer: string): string {
  let text = answer.replace(/\r\n/g, '\n');
  const open = /^\s*```[\w+-]*\n/.exec(text);
  if (open) text = text.slice(open[0].length);
  const close = text.indexOf('```');
  if (close >= 0) text = text.slice(0, close);
  return text.replace(/\s+$/, '') + '\n';
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

export type CandidateParse = { ok: true; candidate: Candidate } | { ok: false; kind: 'parse' | 'signature' | 'unchanged'; reason: string };

/**
 * Build a candidate from a model answer for function `name` of `source`. The replacement covers the
 * original function's statement; imports and helpers the answer adds (and the file lacks) go just
 * before it.
 */
export function candidateFromAnswer(parsers: ParserFactory, language: ExecLanguage, source: string, name: string, answer: string, origin: string, file?: string): CandidateParse {
  const code = codeOf(answer);
  if (!code.trim()) return { ok: false, kind: 'parse', reason: 'the answer has no code' };
  const original = parseModule(parsers, language, source, file);
  const target = moduleFunctions(original.root, language).find((f) => f.name === name);
  if (!target) return { ok: false, kind: 'signature', reason: `no function ${name} in the original` };
  const parsed = parseModule(parsers, language, code, file);
  if (parsed.errorAt !== undefined) {
    const line = lineColumn(positionsOf(code), parsed.errorAt).line;
    return { ok: false, kind: 'parse', reason: `does not parse (syntax error at line ${line} of the answer)` };
  }
  const fns = moduleFunctions(parsed.root, language);
  const fn = fns.find((f) => f.name === name);
  if (!fn) return { ok: false, kind: 'signature', reason: `no function named ${name} in the answer${fns.length ? ` (it defines ${fns.map((f) => f.name).join(', ')})` : ''}` };
  if (fn.params.join(',') !== target.params.join(',')) return { ok: false, kind: 'signature', reason: `different parameters: (${fn.params.join(', ')}) instead of (${target.params.join(', ')})` };
  let fnText = fn.node.text;
  if (target.node.type === 'export_statement' && fn.node.type !== 'export_statement') fnText = `export ${fnText}`;
  if (normalise(fnText) === normalise(target.node.text)) return { ok: false, kind: 'unchanged', reason: 'same code as the original' };
  const existing = new Set(moduleFunctions(original.root, language).map((f) => f.name));
  const lang = languageById(language).execution;
  const existingImports = new Set(original.root.namedChildren.filter((n) => lang.isImport(n)).map((n) => normalise(n.text)));
  const parts: string[] = [];
  for (const node of parsed.root.namedChildren) {
    if (lang.isImport(node)) {
      if (!existingImports.has(normalise(node.text))) parts.push(node.text);
    } else if (node === fn.node) parts.push(fnText);
    else {
      const helper = moduleFunctions({ namedChildren: [node] } as unknown as SyntaxNode, language)[0];
      if (helper && !existing.has(helper.name)) parts.push(node.text);
    }
  }
  return {
    ok: true,
    candidate: {
      origin,
      functionText: fnText,
      replacements: [{ startIndex: target.node.startIndex, endIndex: target.node.endIndex, newText: parts.join(lang.definitionGap) }],
    },
  };
}
