// Ruff PERF parity: run Ruff's PERF rules (ruff-wasm-nodejs, target py39 so that PERF203 is on)
// and Hotpath's Python rules over the same corpus: the Python standard library (tests excluded)
// plus every Python fixture of the rule catalog. Prints, per Ruff code, how many of Ruff's findings
// Hotpath also reports (same file, same line, the Hotpath code whose `covers` names the Ruff code),
// the findings Hotpath reports that Ruff has no rule for, and the time each tool took, side by side.
//
//   npm run bench -- ruff-parity
//   HOTPATH_PARITY_DUMP=/tmp/parity.json  also write every finding and every difference as JSON
//   HOTPATH_PARITY_LIMIT=200              only the first N files of the stdlib (sorted)
//   HOTPATH_PARITY_ROOT=/path/to/lib      another corpus root
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { applyReplacements } from '../server/src/analysis/fixes';
import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';
import { DocumentAnalysis } from '../server/src/analysis/document';
import type { Finding } from '../server/src/analysis/rule';
import { allRules, languageById } from '../server/src/languages';
import { loadParserFactory } from '../server/src/parsing';
import { stdlibFiles } from './lib';

const ROOTS = [process.env.HOTPATH_PARITY_ROOT, '/usr/lib/python3.11', '/root/.pyenv/versions/3.11.7/lib/python3.11'].filter((r): r is string => !!r && existsSync(r));

interface SourceFile {
  path: string;
  text: string;
}

function corpus(): { files: SourceFile[]; root: string } {
  const root = ROOTS[0];
  const paths = root ? stdlibFiles(root) : [];
  const limit = Number(process.env.HOTPATH_PARITY_LIMIT ?? 0);
  const chosen = limit > 0 ? paths.slice(0, limit) : paths;
  const files: SourceFile[] = [];
  for (const p of chosen) {
    try {
      files.push({ path: relative(root, p), text: readFileSync(p, 'utf8') });
    } catch {
      /* not UTF-8: skip */
    }
  }
  for (const rule of allRules()) {
    rule.fixtures.forEach((fx, i) => {
      if (fx.language === 'python') files.push({ path: `fixtures/${rule.code}/${i}-${fx.name.replace(/[^\w]+/g, '-')}.py`, text: fx.code });
    });
  }
  return { files, root: root ?? '(none)' };
}

function lineOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function lineStarts(text: string): number[] {
  const s = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) s.push(i + 1);
  return s;
}

interface Row {
  file: string;
  line: number;
  code: string;
  message: string;
  text: string;
}

async function main(): Promise<void> {
  const { files, root } = corpus();
  const full = languageById('python');
  // Only the Python catalog (HP1xx): the complexity estimate (HP3xx) is another suite's business.
  const python = { ...full, rules: full.rules.filter((r) => /^HP1\d\d$/.test(r.code)) };
  const bare = { ...full, rules: [] };
  const perfToHp = new Map<string, string>();
  for (const r of python.rules) for (const c of r.covers ?? []) perfToHp.set(c, r.code);

  // Warm both tools on a small file so that start-up is not counted per file.
  const ws = new Workspace({ 'target-version': 'py39', lint: { select: ['PERF'] } }, PositionEncoding.Utf16);
  ws.check('x = 1\n');
  const factory = await loadParserFactory('auto');
  const parser = factory.create('python');
  new DocumentAnalysis(python, parser, 'x = 1\n').dispose();

  // Every quick fix, applied alone to its file, must leave Python that compiles (checked below).
  const fixDir = mkdtempSync(join(tmpdir(), 'hotpath-fixes-'));
  let fixCount = 0;
  const ruffRows: Row[] = [];
  const hpRows: Row[] = [];
  let ruffMs = 0;
  let hpMs = 0;
  let failures = 0;
  let parseMs = 0;
  // CPU time of this process (user + system), not wall time: the machine is shared, and waiting
  // for a core must not count against either tool. The three measurements alternate per file.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (const f of files) {
    const t = cpu();
    new DocumentAnalysis(bare, parser, f.text).dispose();
    parseMs += cpu() - t;
    const starts = lineStarts(f.text);
    const lineText = (line: number) => f.text.slice(starts[line - 1], (starts[line] ?? f.text.length + 1) - 1).trim();
    let t0 = cpu();
    let diags: { code: string | null; message: string; start_location: { row: number } }[] = [];
    try {
      diags = ws.check(f.text);
    } catch {
      /* Ruff could not lint it */
    }
    ruffMs += cpu() - t0;
    for (const d of diags) if (d.code?.startsWith('PERF')) ruffRows.push({ file: f.path, line: d.start_location.row, code: d.code, message: d.message, text: lineText(d.start_location.row) });
    t0 = cpu();
    const doc = new DocumentAnalysis(python, parser, f.text);
    const findings: Finding[] = doc.findings();
    failures += doc.failures.length;
    for (const fl of doc.failures) console.error(`rule ${fl.code} failed on ${f.path}: ${(fl.error as Error)?.stack ?? fl.error}`);
    doc.dispose();
    hpMs += cpu() - t0;
    for (const x of findings) {
      if (x.fix && !f.path.startsWith('fixtures/')) writeFileSync(join(fixDir, `${fixCount++}-${x.code}-${f.path.replace(/[^\w.]+/g, '_')}`), applyReplacements(f.text, x.fix.replacements));
      const line = lineOf(starts, x.startIndex);
      hpRows.push({ file: f.path, line, code: x.code, message: x.message, text: lineText(line) });
    }
  }

  const key = (file: string, line: number, code: string) => `${file}:${line}:${code}`;
  const hpKeys = new Set(hpRows.map((r) => key(r.file, r.line, r.code)));
  const ruffKeys = new Set(ruffRows.map((r) => key(r.file, r.line, perfToHp.get(r.code) ?? r.code)));
  const perCode = new Map<string, { ruff: number; matched: number }>();
  const missed: Row[] = [];
  for (const r of ruffRows) {
    const e = perCode.get(r.code) ?? { ruff: 0, matched: 0 };
    e.ruff++;
    const hp = perfToHp.get(r.code);
    if (hp && hpKeys.has(key(r.file, r.line, hp))) e.matched++;
    else missed.push(r);
    perCode.set(r.code, e);
  }
  const covered = new Set(perfToHp.values());
  const extraCovered: Row[] = hpRows.filter((r) => covered.has(r.code) && !ruffKeys.has(key(r.file, r.line, r.code)));
  const hpOnly = new Map<string, { all: number; corpus: number }>();
  for (const r of hpRows) {
    if (covered.has(r.code)) continue;
    const e = hpOnly.get(r.code) ?? { all: 0, corpus: 0 };
    e.all++;
    if (!r.file.startsWith('fixtures/')) e.corpus++;
    hpOnly.set(r.code, e);
  }

  const stdlibFiles = files.filter((f) => !f.path.startsWith('fixtures/')).length;
  console.log(`corpus: ${stdlibFiles} files under ${root} (tests excluded) + ${files.length - stdlibFiles} rule fixtures`);
  console.log('\nRuff PERF findings that Hotpath also reports (same file, line and mapped code):');
  console.log('| Ruff code | Hotpath code | Ruff findings | also reported by Hotpath | missed | Hotpath extra (same code, Ruff silent) |');
  console.log('|---|---|---:|---:|---:|---:|');
  let totalRuff = 0;
  let totalMatched = 0;
  const codes = new Set([...perCode.keys(), ...perfToHp.keys()]);
  for (const code of [...codes].sort()) {
    const e = perCode.get(code) ?? { ruff: 0, matched: 0 };
    totalRuff += e.ruff;
    totalMatched += e.matched;
    const hp = perfToHp.get(code) ?? '—';
    console.log(`| ${code} | ${hp} | ${e.ruff} | ${e.matched} | ${e.ruff - e.matched} | ${extraCovered.filter((r) => r.code === hp).length} |`);
  }
  console.log(`| all | | ${totalRuff} | ${totalMatched} | ${totalRuff - totalMatched} | ${extraCovered.length} |`);
  console.log('\nHotpath findings Ruff has no rule for:');
  console.log('| Hotpath code | rule | findings | in the corpus (fixtures left out) |');
  console.log('|---|---|---:|---:|');
  for (const [code, n] of [...hpOnly].sort()) console.log(`| ${code} | ${python.rules.find((r) => r.code === code)?.name ?? ''} | ${n.all} | ${n.corpus} |`);
  const rate = (ms: number) => (files.length / (ms / 1000)).toFixed(0);
  console.log('\nCPU time over the same corpus (one process, warm, one file at a time, measurements alternating per file):');
  console.log('| tool | total | files/s | ratio |');
  console.log('|---|---:|---:|---:|');
  console.log(`| Ruff PERF (ruff-wasm-nodejs 0.17.3) | ${ruffMs.toFixed(0)} ms | ${rate(ruffMs)} | 1.00 |`);
  console.log(`| Hotpath HP1xx (${factory.backend} parser, parse + snapshot + rules) | ${hpMs.toFixed(0)} ms | ${rate(hpMs)} | ${(hpMs / ruffMs).toFixed(2)}× Ruff's time |`);
  console.log(`| of which parse + snapshot (no rules) | ${parseMs.toFixed(0)} ms | ${rate(parseMs)} | ${(parseMs / ruffMs).toFixed(2)}× |`);
  console.log(`| of which the ${python.rules.length} rules | ${Math.max(0, hpMs - parseMs).toFixed(0)} ms | ${rate(Math.max(1, hpMs - parseMs))} | ${(Math.max(0, hpMs - parseMs) / ruffMs).toFixed(2)}× |`);
  const compile = spawnSync('python3', ['-c', [
    'import os, sys, warnings',
    'warnings.simplefilter("ignore")',
    'bad = 0',
    'for n in sorted(os.listdir(sys.argv[1])):',
    '    src = open(os.path.join(sys.argv[1], n), encoding="utf-8").read()',
    '    try: compile(src, n, "exec")',
    '    except SyntaxError as e: bad += 1; print("  does not compile:", n, e)',
    'print(bad)',
  ].join('\n'), fixDir], { encoding: 'utf8' });
  rmSync(fixDir, { recursive: true, force: true });
  if (compile.status === 0) {
    const lines = compile.stdout.trim().split('\n');
    console.log(`\nQuick fixes applied one at a time to the corpus: ${fixCount}; fixed files that python3 cannot compile: ${lines[lines.length - 1]}`);
    for (const l of lines.slice(0, -1)) console.log(l);
    if (lines[lines.length - 1] !== '0') process.exitCode = 1;
  } else console.log(`\n(python3 not available to compile the ${fixCount} fixed files)`);
  if (failures) console.log(`\n${failures} rule failures (see stderr)`);
  const show = (title: string, rows: Row[]) => {
    if (rows.length === 0) return;
    console.log(`\n${title} (${rows.length}${rows.length > 25 ? ', first 25' : ''}):`);
    for (const r of rows.slice(0, 25)) console.log(`  ${r.file}:${r.line} ${r.code}  ${r.text.slice(0, 90)}`);
  };
  show('Ruff findings Hotpath does not report', missed);
  show('Hotpath findings on covered codes that Ruff does not report', extraCovered);
  if (process.env.HOTPATH_PARITY_DUMP) {
    writeFileSync(process.env.HOTPATH_PARITY_DUMP, JSON.stringify({ ruff: ruffRows, hotpath: hpRows, missed, extraCovered }, null, 1));
    console.log(`\nwrote ${process.env.HOTPATH_PARITY_DUMP}`);
  }
  if (failures) process.exitCode = 1;
}

void main();
