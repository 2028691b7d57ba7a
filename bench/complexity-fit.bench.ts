// How often does the fitter name the right class? Every function in bench/complexity-fit/ has a
// known complexity; each is measured by the execution engine (the same code as `hotpath bench`)
// with a 2 s budget and the fitted class is compared with the expected one. Prints a table and
// writes bench/complexity-fit.md. Run: `npm run bench -- complexity-fit`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarkFunction, type BenchmarkResult, type ComplexityClass, type ExecLanguage } from '../server/src/execution';
import { loadParserFactory } from '../server/src/parsing';

interface Case {
  file: string;
  name: string;
  expected: ComplexityClass;
}

/** The function table: file, function, expected class. */
export const CASES: Case[] = [
  { file: 'functions.py', name: 'first', expected: 'O(1)' },
  { file: 'functions.py', name: 'length', expected: 'O(1)' },
  { file: 'functions.py', name: 'halvings', expected: 'O(log n)' },
  { file: 'functions.py', name: 'pow_mod', expected: 'O(log n)' },
  { file: 'functions.py', name: 'total', expected: 'O(n)' },
  { file: 'functions.py', name: 'count_evens', expected: 'O(n)' },
  { file: 'functions.py', name: 'reverse_words', expected: 'O(n)' },
  { file: 'functions.py', name: 'running_max', expected: 'O(n)' },
  { file: 'functions.py', name: 'sort_copy', expected: 'O(n log n)' },
  { file: 'functions.py', name: 'merge_sort', expected: 'O(n log n)' },
  { file: 'functions.py', name: 'heap_sort', expected: 'O(n log n)' },
  { file: 'functions.py', name: 'count_pairs', expected: 'O(n^2)' },
  { file: 'functions.py', name: 'bubble_sort', expected: 'O(n^2)' },
  { file: 'functions.py', name: 'dedupe_list', expected: 'O(n^2)' },
  { file: 'functions.py', name: 'count_triples', expected: 'O(n^3)' },
  { file: 'functions.py', name: 'matmul', expected: 'O(n^3)' },
  { file: 'functions.py', name: 'fib', expected: 'O(2^n)' },
  { file: 'functions.py', name: 'subset_sums', expected: 'O(2^n)' },
  { file: 'functions.js', name: 'first', expected: 'O(1)' },
  { file: 'functions.js', name: 'middle', expected: 'O(1)' },
  { file: 'functions.js', name: 'halvings', expected: 'O(log n)' },
  { file: 'functions.js', name: 'binarySearchLast', expected: 'O(log n)' },
  { file: 'functions.js', name: 'total', expected: 'O(n)' },
  { file: 'functions.js', name: 'countVowels', expected: 'O(n)' },
  { file: 'functions.js', name: 'prefixSums', expected: 'O(n)' },
  { file: 'functions.js', name: 'sortCopy', expected: 'O(n log n)' },
  { file: 'functions.js', name: 'mergeSort', expected: 'O(n log n)' },
  { file: 'functions.js', name: 'countPairs', expected: 'O(n^2)' },
  { file: 'functions.js', name: 'insertionSort', expected: 'O(n^2)' },
  { file: 'functions.js', name: 'dedupeIncludes', expected: 'O(n^2)' },
  { file: 'functions.js', name: 'countTriples', expected: 'O(n^3)' },
  { file: 'functions.js', name: 'fib', expected: 'O(2^n)' },
  { file: 'functions.js', name: 'subsetCount', expected: 'O(2^n)' },
  { file: 'functions.ts', name: 'wordLengths', expected: 'O(n)' },
  { file: 'functions.ts', name: 'countInversions', expected: 'O(n^2)' },
  { file: 'functions.ts', name: 'sortedKeys', expected: 'O(n log n)' },
];

const LANG: Record<string, ExecLanguage> = { py: 'python', js: 'javascript', ts: 'typescript' };

async function main(): Promise<void> {
  const budgetMs = Number(process.env.HOTPATH_FIT_BUDGET_MS ?? 2000);
  const filter = process.argv.slice(2);
  const parsers = await loadParserFactory('wasm');
  const dir = join(__dirname, 'complexity-fit');
  const rows: string[][] = [];
  let correct = 0;
  let total = 0;
  const started = Date.now();
  for (const c of CASES) {
    if (filter.length && !filter.some((f) => `${c.file}:${c.name}`.includes(f))) continue;
    const file = join(dir, c.file);
    const language = LANG[c.file.split('.').pop()!];
    const t0 = Date.now();
    let r: BenchmarkResult | undefined;
    let error = '';
    try {
      r = await benchmarkFunction({ language, source: readFileSync(file, 'utf8'), functionName: c.name, file }, { parsers, budgetMs, limits: { perCallMs: 1000 } });
    } catch (e) {
      error = (e as Error).message.split('\n')[0];
    }
    const ms = Date.now() - t0;
    const ok = r?.complexity === c.expected;
    total++;
    if (ok) correct++;
    const maxN = r ? Math.max(...r.points.map((p) => p.n)) : 0;
    rows.push([
      `${c.file.replace('functions.', '')}:${c.name}`,
      c.expected,
      r?.complexity ?? `error: ${error}`,
      ok ? 'yes' : 'NO',
      r ? `${Math.round(r.fit.confidence * 100)}%` : '',
      r && Number.isFinite(r.fit.exponent) ? r.fit.exponent.toFixed(2) : '',
      r ? String(r.points.length) : '',
      String(maxN),
      (ms / 1000).toFixed(1),
    ]);
    process.stderr.write(`${rows[rows.length - 1].join('  ')}\n`);
  }
  const head = ['function', 'expected', 'fitted', 'ok', 'confidence', 'exponent', 'sizes', 'max n', 'time (s)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  const elapsed = (Date.now() - started) / 1000;
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const summary = `${correct}/${total} classified correctly in ${elapsed.toFixed(1)} s (budget ${budgetMs} ms per function, CPU-time clock, ${process.platform} ${process.arch}, node ${process.version})`;
  console.log(`\n${summary}`);
  if (!filter.length) {
    const md = [
      '# Complexity fit: known functions',
      '',
      'Generated by `npm run bench -- complexity-fit` (bench/complexity-fit.bench.ts); functions in bench/complexity-fit/.',
      '',
      `| ${head.join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      '',
      summary,
      '',
    ].join('\n');
    writeFileSync(join(__dirname, 'complexity-fit.md'), md);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
