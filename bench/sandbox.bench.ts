// The execution sandbox: the attack suite under every isolation (and without one, to show what
// that leaves open), the isolation's cost (start-up of a run, time per call) side by side with
// and without it, and the fitted classes of the complexity-fit set with and without it.
// Run: `npm run bench -- sandbox` (about 10 minutes on 2 busy cores); writes bench/sandbox.md.
// HOTPATH_SANDBOX_PARTS=attacks,overhead,classes picks parts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATTACKS } from '../server/src/execution/attacks';
import { benchmarkFunction, type BenchmarkResult, type ExecLanguage, type IsolationSetting } from '../server/src/execution';
import { detectIsolation } from '../server/src/execution/isolation';
import { languageById } from '../server/src/languages';
import { loadParserFactory, type ParserFactory } from '../server/src/parsing';
import { CASES } from './complexity-fit/cases';

const parts = (process.env.HOTPATH_SANDBOX_PARTS ?? 'attacks,overhead,classes').split(',');
const mechanisms = (['bwrap', 'unshare'] as IsolationSetting[]).filter((k) => !(detectIsolation(k) instanceof Error));
const LANG: Record<string, ExecLanguage> = { py: 'python', js: 'javascript', ts: 'typescript' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

async function attacks(parsers: ParserFactory): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-attacks-bench-'));
  const kinds: IsolationSetting[] = [...mechanisms, 'none'];
  const rows: string[][] = [];
  const escapes = new Map<IsolationSetting, number>(kinds.map((k) => [k, 0]));
  for (const a of ATTACKS) {
    const row = [a.language === 'python' ? 'Python' : 'JavaScript', a.name];
    for (const kind of kinds) {
      const o = await a.run({ isolation: kind, parsers, languages: languageById, dir, allowUnsandboxed: true });
      if (!o.contained) escapes.set(kind, escapes.get(kind)! + 1);
      row.push(`${o.contained ? 'contained' : '**ESCAPED**'}: ${o.how.replace(/\|/g, '/').replace(/\/tmp\/[\w./-]+|\/root\/[\w./-]+/g, '…')}`);
      process.stderr.write(`${row[0]} ${a.name} [${kind}] ${o.contained ? 'ok' : 'ESCAPED'}: ${o.how}\n`);
    }
    rows.push(row);
  }
  rmSync(dir, { recursive: true, force: true });
  const total = kinds.map((k) => `${k}: ${escapes.get(k)} of ${ATTACKS.length} escaped`).join('; ');
  return `## Attacks\n\n${table(['language', 'attack', ...kinds], rows)}\n\n${total}\n`;
}

async function timeRun(parsers: ParserFactory, file: string, fn: string, isolation: IsolationSetting): Promise<number> {
  const t0 = performance.now();
  await benchmarkFunction({ language: LANG[file.split('.').pop()!], source: readFileSync(file, 'utf8'), functionName: fn, file }, { languages: languageById, parsers, isolation, sizes: [1], minSamples: 1, maxSamples: 1 });
  return performance.now() - t0;
}

async function overhead(parsers: ParserFactory): Promise<string> {
  const kinds: IsolationSetting[] = ['none', ...mechanisms];
  const dir = join(__dirname, 'sandbox');
  const out: string[] = ['## Overhead', ''];
  // Start-up: a whole benchmark of one size and one sample, the isolations alternated.
  const startRows: string[][] = [];
  for (const [file, fn] of [[join(dir, 'real.py'), 'median'], [join(dir, 'real.js'), 'tomlRoundTrip']] as const) {
    const times = new Map<IsolationSetting, number[]>(kinds.map((k) => [k, []]));
    for (let rep = 0; rep < 9; rep++) for (const k of kinds) times.get(k)!.push(await timeRun(parsers, file, fn, k));
    const base = median(times.get('none')!);
    const delta = (k: IsolationSetting) => median(times.get(k)!) - base;
    startRows.push([file.endsWith('.py') ? 'Python' : 'JavaScript', ...kinds.map((k) => `${median(times.get(k)!).toFixed(0)} ms${k === 'none' ? '' : ` (${delta(k) >= 0 ? '+' : '−'}${Math.abs(delta(k)).toFixed(0)} ms)`}`)]);
  }
  out.push('Start-up: one benchmark of one size and one sample (process start, module load, one measured call, exit), median of 9, isolations alternated.', '', table(['harness', ...kinds], startRows), '');
  // Per call: medians at fixed sizes, the isolations alternated, 3 rounds.
  const callRows: string[][] = [];
  const cases: [string, string, number[]][] = [
    [join(dir, 'real.py'), 'median', [1000, 100000]],
    [join(dir, 'real.py'), 'smallest_ten', [1000, 100000]],
    [join(dir, 'real.py'), 'wrap', [1000, 100000]],
    [join(dir, 'real.js'), 'tomlRoundTrip', [1000, 10000]],
    [join(dir, 'real.js'), 'inspectWords', [1000, 10000]],
  ];
  for (const [file, fn, sizes] of cases) {
    const per = new Map<string, number[]>();
    for (let rep = 0; rep < 3; rep++) {
      for (const k of kinds) {
        const r = await benchmarkFunction({ language: LANG[file.split('.').pop()!], source: readFileSync(file, 'utf8'), functionName: fn, file }, { languages: languageById, parsers, isolation: k, sizes, budgetMs: 1500 });
        for (const p of r.points) {
          const key = `${k}:${p.n}`;
          per.set(key, [...(per.get(key) ?? []), p.median]);
        }
      }
    }
    for (const n of sizes) {
      const base = median(per.get(`none:${n}`) ?? [NaN]);
      callRows.push([`${file.endsWith('.py') ? 'py' : 'js'}:${fn}`, String(n), `${(base * 1e6).toFixed(2)} µs`, ...mechanisms.map((k) => `${(median(per.get(`${k}:${n}`) ?? [NaN]) / base).toFixed(3)}×`)]);
    }
  }
  out.push('Per call: median time per call (CPU clock) without isolation, and the ratio under each isolation (median of 3 rounds, alternated).', '', table(['function', 'n', 'none', ...mechanisms.map((k) => `${k} / none`)], callRows), '');
  return out.join('\n');
}

async function classes(parsers: ParserFactory): Promise<string> {
  // `none` twice: how often two runs without isolation disagree is the noise the isolations are
  // compared against.
  const kinds: IsolationSetting[] = ['none', 'none', ...mechanisms];
  const labels = ['none', 'none (again)', ...mechanisms];
  const dir = join(__dirname, 'complexity-fit');
  const rows: string[][] = [];
  let same = 0;
  const correct = labels.map(() => 0);
  const agree = labels.map(() => 0);
  for (const c of CASES) {
    const file = join(dir, c.file);
    const fitted: string[] = [];
    for (const [ki, k] of kinds.entries()) {
      let r: BenchmarkResult | undefined;
      try {
        r = await benchmarkFunction({ language: LANG[c.file.split('.').pop()!], source: readFileSync(file, 'utf8'), functionName: c.name, file }, { languages: languageById, parsers, isolation: k, budgetMs: 2000, limits: { perCallMs: 1000 } });
      } catch (e) {
        fitted.push(`error: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      fitted.push(r.complexity);
      if (r.complexity === c.expected) correct[ki]++;
    }
    if (fitted.every((f) => f === fitted[0])) same++;
    fitted.forEach((f, i) => {
      if (f === fitted[0]) agree[i]++;
    });
    rows.push([`${c.file.replace('functions.', '')}:${c.name}`, c.expected, ...fitted.map((f) => (f === c.expected ? f : `**${f}**`))]);
    process.stderr.write(`${rows[rows.length - 1].join('  ')}\n`);
  }
  const summary =
    `${same}/${CASES.length} functions fitted the same class in every column. Same class as the first run without isolation: ` +
    labels.slice(1).map((l, i) => `${l} ${agree[i + 1]}/${CASES.length}`).join(', ') +
    `. Correct: ${labels.map((l, i) => `${l} ${correct[i]}/${CASES.length}`).join(', ')} (2 s budget each).`;
  return `## Fitted classes with and without isolation\n\nThe complexity-fit set (bench/complexity-fit/), each function under each isolation in turn, and twice without (the run-to-run noise).\n\n${table(['function', 'expected', ...labels], rows)}\n\n${summary}\n`;
}

async function main(): Promise<void> {
  const parsers = await loadParserFactory('wasm');
  const started = Date.now();
  const sections = [
    '# Execution sandbox: attacks, overhead, fitted classes',
    '',
    `Generated by \`npm run bench -- sandbox\` (bench/sandbox.bench.ts) on ${process.platform} ${process.arch}, node ${process.version}; isolations here: ${mechanisms.join(', ') || 'none'}.`,
    '',
  ];
  if (parts.includes('attacks')) sections.push(await attacks(parsers));
  if (parts.includes('overhead')) sections.push(await overhead(parsers));
  if (parts.includes('classes')) sections.push(await classes(parsers));
  sections.push(`Total ${((Date.now() - started) / 1000).toFixed(0)} s.`, '');
  const md = sections.join('\n');
  console.log(md);
  if (parts.length === 3) writeFileSync(join(__dirname, 'sandbox.md'), md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
