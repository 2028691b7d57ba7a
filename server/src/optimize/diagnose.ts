// Diagnose before asking: the function, its callees from the same file, the static findings with
// their rules' explanations, the static complexity estimate and, when one exists, the measured
// curve (EffiSkill's diagnosis step; Effi-Code's overhead profile).
import { analyzeText } from '../analysis/analyzeText';
import { lineColumn, positionsOf } from '../analysis/positions';
import type { Finding } from '../analysis/rule';
import { estimateRoots } from '../complexity';
import type { BenchmarkResult, ExecLanguage } from '../execution';
import { languageById, languageForPath, ruleByCode, type LanguageSpec } from '../languages';
import type { ParserFactory } from '../parsing';
import { moduleFunctions, parseModule } from './candidate';
import type { Diagnosis } from './types';

export function specFor(language: ExecLanguage, file?: string): LanguageSpec {
  const byPath = file ? languageForPath(file) : undefined;
  return byPath ?? languageById(language);
}

/** Findings of the whole source that lie inside [start, end). */
export function findingsIn(findings: Finding[], start: number, end: number): Finding[] {
  return findings.filter((f) => f.startIndex >= start && f.endIndex <= end);
}

export interface DiagnoseInput {
  language: ExecLanguage;
  source: string;
  functionName: string;
  file?: string;
  /** Findings already computed (the editor's analysis); computed here otherwise. */
  findings?: Finding[];
  measured?: BenchmarkResult;
}

export function diagnose(parsers: ParserFactory, input: DiagnoseInput): Diagnosis {
  const { language, source, functionName, file } = input;
  const { root } = parseModule(parsers, language, source, file);
  const fns = moduleFunctions(root, language);
  const fn = fns.find((f) => f.name === functionName);
  if (!fn) throw new Error(`no top-level function ${functionName}`);
  // Callees: top-level functions of the file named inside the function, transitively.
  const byName = new Map(fns.map((f) => [f.name, f]));
  const callees: { name: string; text: string }[] = [];
  const seen = new Set([functionName]);
  const queue = [fn];
  while (queue.length) {
    const f = queue.shift()!;
    for (const n of f.node.descendants()) {
      if (n.type !== 'identifier' || seen.has(n.text)) continue;
      const g = byName.get(n.text);
      if (!g) continue;
      seen.add(g.name);
      callees.push({ name: g.name, text: g.node.text });
      queue.push(g);
    }
  }
  const spec = specFor(language, file);
  const all = input.findings ?? analyzeText(spec, parsers, source);
  const positions = positionsOf(source);
  const lineOf = (i: number) => lineColumn(positions, i).line;
  const findings = findingsIn(all, fn.node.startIndex, fn.node.endIndex).map((f) => {
    const rule = ruleByCode(f.code);
    return {
      code: f.code,
      line: lineOf(f.startIndex),
      message: f.message,
      explanation: rule ? `${rule.summary}${rule.cost ? ` (${rule.cost})` : ''}` : '',
      fix: f.fix?.title,
    };
  });
  let staticComplexity: string | undefined;
  try {
    staticComplexity = estimateRoots(spec.complexity, [root]).find((e) => e.name === functionName)?.display;
  } catch {
    staticComplexity = undefined; // the estimate is a hint; the prompt says "unknown"
  }
  const m = input.measured;
  return {
    language,
    functionName,
    functionText: fn.node.text,
    startIndex: fn.node.startIndex,
    endIndex: fn.node.endIndex,
    callees,
    findings,
    staticComplexity,
    measured: m ? { complexity: m.complexity, exponent: m.fit.exponent, points: m.points.filter((p) => !p.censored).map((p) => ({ n: p.n, seconds: p.median })) } : undefined,
    parameters: fn.params,
  };
}
