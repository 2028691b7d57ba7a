// Prompt files: the language plug-in's prompts/<task>.md (languages/python/prompts/,
// languages/ecmascript/prompts/ for JavaScript and TypeScript, which renders with a `typescript`
// fence), tasks `optimize` (first round) and `refine` (later rounds, with the measurements and
// counterexamples of earlier attempts). Templates are plain text with `{{name}}` placeholders and
// `{{#name}}…{{/name}}` sections kept only when `name` is non-empty. The rendered prompt ends
// inside an opened code fence: the model writes the code and the fence's closing ``` stops it (a
// base completion model and an instruction model both work with it).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ExecLanguage } from '../execution';
import { languageById } from '../languages';
import type { Diagnosis, Outcome } from './types';
import { formatN, formatSpeedup, prettyClass, speedupSizes } from './report';

export type PromptTask = 'optimize' | 'refine';

/**
 * The directory holding `<folder>/prompts/<task>.md` for every language plug-in: $HOTPATH_PROMPTS_DIR
 * when set (same layout), else the `languages/` directory above this file: server/src/languages/ in the repository, or
 * dist/languages/ in the bundle (scripts/build.mjs copies each plug-in's prompts/ there).
 */
export function promptsDir(from: string = __dirname): string {
  const env = process.env.HOTPATH_PROMPTS_DIR;
  if (env && existsSync(env)) return env;
  let dir = resolve(from);
  for (;;) {
    const languages = join(dir, 'languages');
    if (existsSync(join(languages, 'python', 'prompts', 'optimize.md'))) return languages;
    const up = dirname(dir);
    if (up === dir) throw new Error(`languages/python/prompts/optimize.md not found above ${from}`);
    dir = up;
  }
}

export function promptFile(language: ExecLanguage, task: PromptTask, dir = promptsDir()): string {
  return join(dir, languageById(language).folder, 'prompts', `${task}.md`);
}

const templates = new Map<string, string>();
function template(language: ExecLanguage, task: PromptTask): string {
  const file = promptFile(language, task);
  let t = templates.get(file);
  if (t === undefined) templates.set(file, (t = readFileSync(file, 'utf8')));
  return t;
}

/** Fill a template: sections first (dropped when empty), then placeholders. Unknown names render empty. */
export function renderTemplate(text: string, values: Record<string, string | undefined>): string {
  const sections = text.replace(/\{\{#(\w+)\}\}\n?([\s\S]*?)\{\{\/\1\}\}\n?/g, (_m, name: string, body: string) => (values[name]?.trim() ? body : ''));
  return sections.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => values[name] ?? '');
}

export function describeMeasured(m: NonNullable<Diagnosis['measured']>): string {
  const pts = m.points.slice(-4).map((p) => `n=${formatN(p.n)}: ${formatSeconds(p.seconds)}`).join(', ');
  return `time ∝ n^${m.exponent.toFixed(2)}, fitted ${prettyClass(m.complexity)}${pts ? ` (${pts})` : ''}`;
}

export function formatSeconds(s: number): string {
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(2)} ms`;
  if (s >= 1e-6) return `${(s * 1e6).toFixed(1)} µs`;
  return `${(s * 1e9).toFixed(0)} ns`;
}

/** One line (or a few) per earlier attempt: what was measured, the counterexample if any. */
export function describeOutcome(o: Outcome, index: number): string {
  const v = o.verification;
  const head = `Attempt ${index + 1} (${o.candidate.origin}): ${v.accepted ? 'VERIFIED' : 'REJECTED'}: ${v.reason}`;
  const lines = [head];
  if (v.counterexample) {
    const d = v.counterexample;
    lines.push(`  input: ${d.input}`, `  expected (${d.what}): ${d.expected}`, `  got: ${d.actual}`);
  }
  if (!v.accepted && o.candidate.functionText && (v.kind === 'not-equivalent' || v.kind === 'untrusted-measurement' || v.kind === 'not-faster' || v.kind === 'slower' || v.kind === 'error')) {
    lines.push('  code:', ...o.candidate.functionText.split('\n').slice(0, 30).map((l) => `    ${l}`));
  }
  return lines.join('\n');
}

/** Render the prompt of a round: `optimize` without feedback, `refine` with it. */
export function renderPrompt(d: Diagnosis, feedback: Outcome[] = [], best?: Outcome): string {
  const task: PromptTask = feedback.length || best ? 'refine' : 'optimize';
  const findings = d.findings.map((f) => `- ${f.code} (line ${f.line}): ${f.message}${f.explanation ? ` — ${f.explanation}` : ''}${f.fix ? ` (suggested fix: ${f.fix})` : ''}`).join('\n');
  const s = best?.verification.summary;
  return renderTemplate(template(d.language, task), {
    name: d.functionName,
    parameters: d.parameters.join(', '),
    complexity: d.staticComplexity ? prettyClass(d.staticComplexity) : 'unknown',
    measured: d.measured ? describeMeasured(d.measured) : '',
    findings,
    function: d.functionText,
    callees: d.callees.map((c) => c.text).join('\n\n'),
    feedback: feedback.map(describeOutcome).join('\n\n'),
    best: best?.candidate.functionText ?? '',
    bestSummary: s ? `${formatSpeedup(s.speedup)} faster at ${speedupSizes(s)}` : '',
    fence: d.language,
  });
}
