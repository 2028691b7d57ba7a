// How many complexity lenses does a user see, per `hotpath.codeLens.minimum`? Counted on real code
// nobody on the team wrote: the Python standard library of the interpreter on the PATH (argparse.py
// alone, which a user found cluttered with 132 lenses, then every module of the top-level Lib/
// directory), and whether any lens title is cut ("…"). Writes bench/codelens.md.
// Run: `npm run bench -- codelens`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentAnalysis } from '../server/src/analysis/document';
import { documentView } from '../server/src/documents';
import { codeLenses, type LensMinimum } from '../server/src/features/codeLens';
import { languageById } from '../server/src/languages';
import { loadParserFactory } from '../server/src/parsing';

const MINIMA: LensMinimum[] = ['all', 'linear', 'quadratic'];

async function main(): Promise<void> {
  const lib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const version = execFileSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
  const files = readdirSync(lib)
    .filter((f) => f.endsWith('.py') && statSync(join(lib, f)).isFile())
    .sort();
  const factory = await loadParserFactory('wasm');
  const spec = languageById('python');
  const parser = factory.create(spec.grammar);
  const totals = Object.fromEntries(MINIMA.map((m) => [m, 0])) as Record<LensMinimum, number>;
  const argparse = { ...totals };
  let cut = 0;
  let functions = 0;
  for (const f of files) {
    const text = readFileSync(join(lib, f), 'utf8');
    const analysis = new DocumentAnalysis(spec, parser, text);
    const doc = documentView(`file://${join(lib, f)}`, spec, text, analysis);
    try {
      for (const minimum of MINIMA) {
        const lenses = codeLenses(doc, { enable: true, minimum });
        totals[minimum] += lenses.length;
        if (f === 'argparse.py') argparse[minimum] = lenses.length;
        if (minimum === 'all') {
          functions += lenses.length;
          cut += lenses.filter((l) => l.command?.title.includes('…')).length;
        }
      }
    } finally {
      analysis.dispose();
    }
  }
  const rows = MINIMA.map((m) => `| \`${m}\`${m === 'linear' ? ' (default)' : ''} | ${argparse[m]} | ${totals[m]} | ${((totals[m] / totals.all) * 100).toFixed(0)}% |`);
  const report = [
    '# Code lens counts per `hotpath.codeLens.minimum`',
    '',
    `Python ${version} standard library, ${files.length} top-level modules of ${lib} (real code nobody on the team wrote). Reproduce: \`npm run bench -- codelens\`.`,
    '',
    '| minimum | lenses on argparse.py | lenses on the whole set | share of `all` |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `Lens titles cut with "…": ${cut} of ${functions}.`,
    '',
  ].join('\n');
  console.log(report);
  writeFileSync(join(__dirname, 'codelens.md'), report);
}

void main();
