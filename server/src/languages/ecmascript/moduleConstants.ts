// Module constants a function scans (issue 13, round 8): a top-level `const` built from literals and
// spread names is fixed when the module loads, so a scan of it is bounded by construction. A unit is
// analysed alone (its tree is the unit's), so the module's binding is read from the source text.
import type { SyntaxNode } from '../../parsing';

/** Names whose module-level binding is mutated in place somewhere in the module text (`NAME.push(`, `NAME.splice(`, `NAME.add(`, `NAME +=`, `NAME[k] =`). */
function mutatedInModule(name: string, source: string): boolean {
  const n = name.replace(/[$]/g, '\\$');
  return new RegExp(`\\b${n}\\s*(?:\\.\\s*(?:push|unshift|splice|add|set|fill|copyWithin)\\s*\\(|\\+=|\\[[^\\]\\n]*\\]\\s*=[^=])`).test(source);
}

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
 * A top-level `const NAME = [...]` (or `new Set([...])`) whose items are literals or spreads of
 * other names (`[...pseudoClasses.functional, 'x']`), never pushed to or spliced in the module.
 */
export function fixedModuleConstant(n: SyntaxNode): boolean {
  // A unit is analysed alone (its tree is the unit's), so the module's binding is read from the text.
  const src = n.source;
  const defs = [...src.matchAll(new RegExp(`^(?:export\\s+)?(?:const|let|var)\\s+${n.text.replace(/\$/g, '\\$')}\\s*=(?!=)`, 'gm'))];
  if (defs.length !== 1 || !/^(?:export\s+)?const\b/.test(defs[0][0]) || mutatedInModule(n.text, src)) return false;
  return fixedDisplay(src.slice(defs[0].index + defs[0][0].length));
}
