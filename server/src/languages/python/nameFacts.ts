// What a Python unit's text says about the functions it defines, for rules in other units (merged
// into ModuleSummary.nameFacts, so a finding that depends on them is re-analysed when they change):
// a `def` whose own body yields (trait `generator`: a call of it makes a generator), and a method
// `def NAME(self` (trait `self`: `self.NAME()` is the object's own method).
import type { UnitNameFacts } from '../../analysis/module';
import type { SyntaxNode } from '../../parsing';

const HEADER = /^\s*(?:async\s+)?def\s+([\p{L}\p{N}_]+)\s*\(/u;
const METHOD = /^\s*def ([\p{L}\p{N}_]+)\(self\b/u;
const NESTED = /^\s*(?:async\s+)?(?:def|class)\b/;
const YIELD = /(?:^|[=(,\s])yield\b/;

export function pythonNameFacts(unit: SyntaxNode): UnitNameFacts {
  // Whole lines, read from the unit's text alone (not its position: a unit reused after an edit above
  // it keeps its facts, review 7 R7-4); the lines below a `def` header are read by indentation.
  const text = unit.text;
  const lines = text.split('\n');
  // Without the word no body yields (YIELD needs it): most units, whose headers then skip the scan below.
  const mayYield = text.includes('yield');
  const definitions: { name: string; traits: string[] }[] = [];
  lines.forEach((line, i) => {
    const header = HEADER.exec(line);
    if (!header) return;
    const traits: string[] = [];
    if (mayYield && yieldsBelow(lines, i)) traits.push('generator');
    // A method-shaped `def NAME(self`, wherever it stands.
    const method = METHOD.exec(line);
    if (method) definitions.push({ name: method[1], traits: ['self'] });
    if (traits.length) definitions.push({ name: header[1], traits });
  });
  return { definitions, mutated: new Set() };
}

/** Does the body below the `def` header at line `i` (its own, not a nested def's or class's) hold a `yield`? */
function yieldsBelow(lines: readonly string[], i: number): boolean {
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const own = indentOf(lines[i]);
  let nested = Infinity;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    const at = indentOf(l);
    if (at <= own) return false;
    if (at <= nested) nested = NESTED.test(l) ? at : Infinity;
    if (nested === Infinity && YIELD.test(l)) return true;
  }
  return false;
}
