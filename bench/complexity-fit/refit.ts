// Refit the points a complexity-fit run recorded (HOTPATH_FIT_DUMP=FILE npm run bench --
// complexity-fit) with this checkout's fitter: the class of the first sweep and the stability
// verdict (the second sweep against the first's uncensored points at the sizes both measured, as
// engine.ts checks it). Fitters compared on the same measurements, free of the machine's noise:
//   node --import tsx bench/complexity-fit/refit.ts FILE
import { readFileSync } from 'node:fs';
import { fitComplexity, type FitPoint } from '../../server/src/execution';
import type { Dump } from './cases';

const dump = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Dump;
let correct = 0;
let unstable = 0;
for (const c of dump) {
  const fit = fitComplexity(c.points);
  let stability = '';
  if (c.second) {
    const second = c.second.filter((p) => !p.censored);
    const sizes = new Set(second.map((p) => p.n));
    const reference = fitComplexity(c.points.filter((p: FitPoint) => !p.censored && sizes.has(p.n))).complexity;
    const other = fitComplexity(second).complexity;
    if (other !== reference) {
      unstable++;
      stability = `unstable (${reference} / ${other})`;
    }
  }
  if (fit.complexity === c.expected) correct++;
  console.log([`${c.file}:${c.name}`, c.expected, fit.complexity, fit.complexity === c.expected ? 'yes' : 'NO', `${Math.round(fit.confidence * 100)}%`, stability].join('  '));
}
console.log(`\n${correct}/${dump.length} classified correctly, ${unstable} unstable over the two sweeps`);
