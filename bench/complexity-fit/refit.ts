// Refit the points a complexity-fit run recorded (HOTPATH_FIT_DUMP=FILE npm run bench --
// complexity-fit) with this checkout's fitter: the class of the first sweep and the stability
// verdict (the second sweep against the first's uncensored points at the sizes both measured:
// stabilityVerdict, the engine's own check). Fitters compared on the same measurements, free of
// the machine's noise:
//   node --import tsx bench/complexity-fit/refit.ts FILE
import { readFileSync } from 'node:fs';
import { fitComplexity, stabilityVerdict } from '../../server/src/execution';
import type { Dump } from './cases';

const dump = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Dump;
let correct = 0;
let unstable = 0;
for (const c of dump) {
  const fit = fitComplexity(c.points);
  let stability = '';
  if (c.second) {
    const { reference, complexity, stable } = stabilityVerdict(c.points, c.second);
    if (!stable) {
      unstable++;
      stability = `unstable (${reference} / ${complexity})`;
    }
  }
  if (fit.complexity === c.expected) correct++;
  console.log([`${c.file}:${c.name}`, c.expected, fit.complexity, fit.complexity === c.expected ? 'yes' : 'NO', `${Math.round(fit.confidence * 100)}%`, stability].join('  '));
}
console.log(`\n${correct}/${dump.length} classified correctly, ${unstable} unstable over the two sweeps`);
