// `npm run bench -- broken-reparse`: what the editor's analysis of a file with a syntax error costs
// per keystroke since an update through broken code is finished by a fresh parse (analysis/document.ts,
// `reparse`: tree-sitter's incremental parse can keep a stale error recovery). A comment is typed one
// character at a time at the end of a line in the middle of the file; per keystroke, side by side in
// one run: the update (incremental parse and re-analysis of the touched unit: what was there before)
// and `finishDependents` (the fresh parse and the units it changes: the new cost), the file as it is
// (no error: nothing to finish) and with one syntax error near the top. Material: CPython 3.11's
// _pydecimal.py (229 KB) and, where the precision corpora are fetched, buntis 0.2.1's
// dist/buntis.cjs.js (321 KB): real code nobody on the team wrote. Medians of 30 keystrokes.
// Beside it, the same keystrokes on a second analysis finished as the editor's background loop does
// (AnalysisOptions.reparseSliceMs = 20, `finishDependents(8)` until it is done): the longest single
// call (how long the event loop is held; its CPU time beside it, which other processes on a loaded
// machine do not inflate), the calls and their total; both finished analyses must equal a fresh one.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DocumentAnalysis } from '../server/src/analysis/document';
import { languageForPath } from '../server/src/languages';
import { loadWasmBackend } from '../server/src/parsing/wasm';

const KEYSTROKES = 30;
const SLICE_MS = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const point = (t: string, i: number) => {
  const lines = t.slice(0, i).split('\n');
  return { row: lines.length - 1, column: lines[lines.length - 1].length };
};

const cases = [
  { path: ['/root/.pyenv/versions/3.11.7/lib/python3.11/_pydecimal.py', '/usr/lib/python3.11/_pydecimal.py'].find(existsSync), broken: (t: string) => t.replace('\nimport math as _math', '\nimport math as _math\ndef broken(:\n    pass'), comment: '  # x' },
  { path: join(homedir(), '.cache/hotpath/precision-corpora/buntis-0.2.1/dist/buntis.cjs.js'), broken: (t: string) => t.replace('\n', '\nfunction broken( {\n}\n'), comment: ' // x' },
];

void (async () => {
  console.log('| file | syntax error | update per keystroke (ms) | finishDependents at once (ms), its CPU time | in 20 ms slices: longest call (ms), median / worst keystroke | its CPU time (ms), median / worst | calls | total (ms) |\n|---|---|---|---|---|---|---|---|');
  for (const c of cases) {
    if (!c.path || !existsSync(c.path)) continue;
    const spec = languageForPath(c.path)!;
    const backend = await loadWasmBackend([spec.grammar]);
    const parser = backend.create(spec.grammar);
    const slicedParser = backend.create(spec.grammar);
    for (const broken of [false, true]) {
      let text = readFileSync(c.path, 'utf8');
      if (broken) text = c.broken(text);
      const doc = new DocumentAnalysis(spec, parser, text);
      // Its own parser: a parse of the other analysis's would abandon its stopped one.
      const sliced = new DocumentAnalysis(spec, slicedParser, text, { reparseSliceMs: SLICE_MS });
      const update: number[] = [];
      const finish: number[] = [];
      const finishCpu: number[] = [];
      const longest: number[] = [];
      const longestCpu: number[] = [];
      const calls: number[] = [];
      const total: number[] = [];
      let at = text.indexOf('\n', Math.floor(text.length / 2));
      for (let k = 0; k < KEYSTROKES; k++) {
        const next = text.slice(0, at) + (c.comment[k] ?? 'x') + text.slice(at);
        const edit = { startIndex: at, oldEndIndex: at, newEndIndex: at + 1, startPosition: point(text, at), oldEndPosition: point(text, at), newEndPosition: point(next, at + 1) };
        const t0 = performance.now();
        doc.update(next, [edit]);
        const t1 = performance.now();
        const c1 = process.cpuUsage();
        doc.finishDependents();
        finish.push(performance.now() - t1);
        const cpu1 = process.cpuUsage(c1);
        finishCpu.push((cpu1.user + cpu1.system) / 1000);
        update.push(t1 - t0);
        sliced.update(next, [edit]);
        let n = 0;
        let most = 0;
        let mostCpu = 0;
        let sum = 0;
        for (let done = false; !done; n++) {
          const t2 = performance.now();
          const c2 = process.cpuUsage();
          done = sliced.finishDependents(8);
          const ms = performance.now() - t2;
          const cpu = process.cpuUsage(c2);
          most = Math.max(most, ms);
          mostCpu = Math.max(mostCpu, (cpu.user + cpu.system) / 1000);
          sum += ms;
        }
        longest.push(most);
        longestCpu.push(mostCpu);
        calls.push(n);
        total.push(sum);
        text = next;
        at++;
      }
      const fresh = new DocumentAnalysis(spec, parser, text);
      for (const d of [doc, sliced]) if (JSON.stringify(fresh.findings()) !== JSON.stringify(d.findings()) || JSON.stringify(fresh.syntaxErrors()) !== JSON.stringify(d.syntaxErrors())) throw new Error(`${c.path}: the finished analysis differs from a fresh one`);
      console.log(`| ${c.path.split('/').pop()} | ${broken ? 'one, near the top' : 'none'} | ${median(update).toFixed(1)} | ${median(finish).toFixed(1)}, ${median(finishCpu).toFixed(1)} | ${median(longest).toFixed(1)} / ${Math.max(...longest).toFixed(1)} | ${median(longestCpu).toFixed(1)} / ${Math.max(...longestCpu).toFixed(1)} | ${median(calls)} | ${median(total).toFixed(1)} |`);
      fresh.dispose();
      doc.dispose();
      sliced.dispose();
    }
  }
})();
