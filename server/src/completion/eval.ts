// `hotpath eval completions`: inline completion quality and latency on held-out source files
// (completion/heldOut.ts), through the same CompletionProvider the editor uses. For each sampled
// position inside a function, as a user types it: the document holds everything before the cursor
// and everything after the current line (the rest of the line is what the user has not typed yet
// and what the model should produce). The cursor is at the start of the line's code, or partway
// through it. Measured per request: exact match of the rest of the line (the suggestion's first
// line), edit similarity (1 − Levenshtein / longer length), latency. The efficiency filter is
// compared on the same candidates: 'off' shows the model's first candidate; 'rank' and 'drop'
// reorder or remove candidates that do not parse or introduce a Hotpath finding: how often that
// changes the shown suggestion, and what it does to exact match.
import { rng } from '../execution/stats';
import { languageById, type LanguageSpec } from '../languages';
import type { ModelEngine } from '../model/engine';
import { snapshot, type ParserFactory, type SyntaxNode } from '../parsing';
import { EfficiencyFilter, type FilterMode } from './filter';
import type { HeldOutFile } from './heldOut';
import { CompletionProvider, DEFAULT_COMPLETION_SETTINGS, type CompletionSettings } from './provider';

export interface EvalPosition {
  file: string;
  package: string;
  language: 'python' | 'javascript';
  line: number;
  /** 'line start': after the indentation; 'mid-line': partway through the line's code. */
  kind: 'line start' | 'mid-line';
  /** The document as the user has it, and the cursor. */
  text: string;
  offset: number;
  /** What the user goes on to type: the rest of the line. */
  expected: string;
}

const FUNCTION_TYPES = new Set(['function_definition', 'function_declaration', 'method_definition', 'function_expression', 'arrow_function', 'generator_function_declaration']);

/** Lines inside function bodies that are code (not the header, blank, a comment or a lone bracket). */
function bodyLines(root: SyntaxNode, text: string): number[] {
  const lines = text.split('\n');
  const out = new Set<number>();
  for (const n of root.descendants()) {
    if (!FUNCTION_TYPES.has(n.type)) continue;
    const body = n.child('body');
    if (!body || body.endPosition.row - body.startPosition.row < 2) continue;
    for (let r = Math.max(body.startPosition.row, n.startPosition.row + 1); r <= body.endPosition.row; r++) {
      const code = lines[r]?.trim() ?? '';
      if (code.length < 8 || /^(#|\/\/|\/\*|\*|"""|''')/.test(code) || /^[)\]}]+[;,]?$/.test(code)) continue;
      out.add(r);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Sample `perFile` positions from each file (seeded). */
export function samplePositions(files: HeldOutFile[], parsers: ParserFactory, perFile: number, seed: number): EvalPosition[] {
  const random = rng(seed);
  const out: EvalPosition[] = [];
  for (const f of files) {
    const spec = languageById(f.language);
    const tree = parsers.create(spec.grammar).parse(f.text);
    let candidates: number[];
    try {
      candidates = bodyLines(snapshot(tree.rootNode.walk(), f.text), f.text);
    } finally {
      tree.dispose();
    }
    const lines = f.text.split('\n');
    const starts = [0];
    for (const l of lines) starts.push(starts[starts.length - 1] + l.length + 1);
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < Math.min(perFile, candidates.length) && tries < 1000; tries++) chosen.add(candidates[Math.floor(random() * candidates.length)]);
    for (const row of [...chosen].sort((a, b) => a - b)) {
      const line = lines[row];
      const indent = line.length - line.trimStart().length;
      const kind: EvalPosition['kind'] = out.length % 2 === 0 ? 'line start' : 'mid-line';
      let col = indent;
      if (kind === 'mid-line') {
        // after a word boundary about 40% into the code
        const code = line.slice(indent);
        const target = Math.floor(code.length * 0.4);
        const m = /\W/.exec(code.slice(target));
        col = indent + Math.min(code.length - 1, target + (m ? m.index + 1 : 0));
      }
      const offset = starts[row] + col;
      const expected = line.slice(col);
      if (!expected.trim()) continue;
      // the document: before the cursor, then the following lines (the rest of this line not typed yet)
      const text = f.text.slice(0, offset) + f.text.slice(starts[row] + line.length);
      out.push({ file: f.path, package: f.package, language: f.language, line: row + 1, kind, text, offset, expected });
    }
  }
  return out;
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

export function similarity(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  return n === 0 ? 1 : 1 - levenshtein(a, b) / n;
}

const firstLine = (s: string) => (s.split('\n')[0] ?? '').trimEnd();

export interface ModeScore {
  mode: FilterMode;
  exactMatch: number;
  editSimilarity: number;
  /** Requests with a suggestion shown. */
  shown: number;
  /** Requests whose shown suggestion differs from 'off'. */
  changed: number;
}

export interface CompletionEvalResult {
  model: string;
  backend: string;
  requests: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Time of the efficiency filter itself (rank), p50. */
  filterP50Ms: number;
  modes: ModeScore[];
  byKind: { kind: string; requests: number; exactMatch: number; editSimilarity: number }[];
  promptTokensMedian: number;
  samples: { file: string; line: number; kind: string; expected: string; shown: string; exact: boolean }[];
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface CompletionEvalOptions {
  candidates?: number;
  maxTokens?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export async function evalCompletions(engine: ModelEngine, parsers: ParserFactory, positions: EvalPosition[], o: CompletionEvalOptions = {}): Promise<CompletionEvalResult> {
  const settings: CompletionSettings = { ...DEFAULT_COMPLETION_SETTINGS, candidates: o.candidates ?? 3, maxTokens: o.maxTokens ?? 48, maxLines: 4, timeBudgetMs: 60_000, efficiencyFilter: 'off', repairAfterMs: 0, debounceMinMs: 0, debounceMaxMs: 0, otherFiles: false };
  const provider = new CompletionProvider({ engine: async () => engine, parsers, log: () => undefined });
  const info = await engine.info(o.signal);
  const latencies: number[] = [];
  const filterMs: number[] = [];
  const promptTokens: number[] = [];
  const modes: FilterMode[] = ['off', 'rank', 'drop'];
  const tally = new Map(modes.map((m) => [m, { exact: 0, sim: 0, shown: 0, changed: 0 }]));
  const kinds = new Map<string, { n: number; exact: number; sim: number }>();
  const samples: CompletionEvalResult['samples'] = [];
  try {
    for (let i = 0; i < positions.length; i++) {
      if (o.signal?.aborted) throw new Error('cancelled');
      const p = positions[i];
      const spec: LanguageSpec = languageById(p.language);
      const uri = `file:///eval/${p.file}`;
      const r = await provider.provide({ uri, path: p.file, text: p.text, offset: p.offset, spec, explicit: true, others: [] }, settings, new AbortController().signal);
      await provider.onClose(uri); // each position is its own document: no reuse between them
      latencies.push(r.stats.latencyMs);
      promptTokens.push(r.stats.promptTokens);
      const t0 = performance.now();
      const filter = new EfficiencyFilter(spec, parsers, p.text, p.offset);
      const shownBy = new Map<FilterMode, string>();
      for (const m of modes) shownBy.set(m, m === 'off' ? (r.items[0] ?? '') : (filter.rank(r.items, m)[0]?.text ?? ''));
      filterMs.push(performance.now() - t0);
      const want = p.expected.trimEnd();
      for (const m of modes) {
        const shown = firstLine(shownBy.get(m)!);
        const t = tally.get(m)!;
        const exact = shown.length > 0 && shown === want;
        if (exact) t.exact++;
        t.sim += similarity(shown, want);
        if (shown) t.shown++;
        if (shownBy.get(m) !== shownBy.get('off')) t.changed++;
        if (m === 'off') {
          const k = kinds.get(p.kind) ?? { n: 0, exact: 0, sim: 0 };
          k.n++;
          if (exact) k.exact++;
          k.sim += similarity(shown, want);
          kinds.set(p.kind, k);
          samples.push({ file: p.file, line: p.line, kind: p.kind, expected: want, shown, exact });
        }
      }
      o.onProgress?.(i + 1, positions.length);
    }
  } finally {
    await provider.dispose();
  }
  const n = positions.length || 1;
  return {
    model: info.name,
    backend: info.backend,
    requests: positions.length,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    filterP50Ms: percentile(filterMs, 50),
    modes: modes.map((m) => {
      const t = tally.get(m)!;
      return { mode: m, exactMatch: t.exact / n, editSimilarity: t.sim / n, shown: t.shown, changed: t.changed };
    }),
    byKind: [...kinds].map(([kind, k]) => ({ kind, requests: k.n, exactMatch: k.exact / k.n, editSimilarity: k.sim / k.n })),
    promptTokensMedian: percentile(promptTokens, 50),
    samples,
  };
}
