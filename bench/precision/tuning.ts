// The tuning table of bench/precision.md "Sixth round": every warning the round-5 rules gave on the
// corpora of rounds 1–5 (today's warnings plus the findings whose message carries the round-6
// calibrated note), classed by the growth evidence the rules' own message names, joined with the
// first judge's verdicts (judgments.json) and the independent ones (independent.json), pooled.
//
//   HOTPATH_PRECISION_DUMP=/tmp/findings.json npm run bench -- precision
//   node --import tsx bench/precision/tuning.ts /tmp/findings.json [round6]
//
// The round (default round6) is the held-out round the table was tuned for: the table pools the corpora
// added before it (no `heldOut`, or an earlier round), so the corpora and verdicts of later rounds
// (7, 8, …) stay out and the round-6 table reproduces on later commits (issue 13 round 9).
//
// The class comes from the message (analysis/sizeVerdict.ts calibratedVerdict names the `how` of
// languages/<lang>/growth.ts loopGrowth): "is grown in" → grown in the loop; "is made from what X runs
// over" → a `for` statement, or a comprehension when X sits inside the finding's own line, or a
// callback (`edits.filter`), or a `while` header (a bound only); the plain "the loop around it scales
// with the input" → no named collection (an accumulator); a warning today → the drained work queue,
// or HP103's own severity.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Dumped { key: string; corpus: string; code: string; severity: string; message: string; lineText: string }
type Verdict = 'worth' | 'pointless' | 'wrong';

const CALIBRATED = /; the code shows it growing with the loop \((.+)\), but growth of this kind stays small/;

const CLASSES = {
  queue: 'the finding takes items off a work queue that a `while` loop around it drains',
  grown: 'the collection is grown in the loop around it',
  made: 'the collection is made from what a `for` runs over',
  comprehension: 'made from what a comprehension / callback runs over',
  whileBound: 'a `while` bound only, no take',
  accumulator: 'no collection: an accumulator rebuilt on every step',
  own: "the rule's own severity (HP103; not calibrated)",
} as const;
type Class = keyof typeof CLASSES;

/** The evidence class of a round-5 warning, or null for a finding that was not one. */
export function classOf(f: Dumped): Class | null {
  if (f.severity === 'warning') return f.code === 'HP103' ? 'own' : 'queue';
  const how = CALIBRATED.exec(f.message)?.[1];
  if (how === undefined) return null;
  if (/ is grown in `/.test(how)) return 'grown';
  const over = / is made from what `(.+)` runs over$/.exec(how)?.[1];
  if (over === undefined) return 'accumulator';
  if (/^while\b/.test(over)) return 'whileBound';
  if (!/^for\b/.test(over)) return 'comprehension';
  const header = over.replace(/…$/, '');
  const line = f.lineText.trim();
  return line.includes(header) && !line.startsWith(header) ? 'comprehension' : 'made';
}

/** The round number of `roundN`. */
function roundNumber(round: string): number {
  const n = /^round(\d+)$/.exec(round)?.[1];
  if (n === undefined) throw new Error(`not a round: ${round} (expected roundN, e.g. round6)`);
  return Number(n);
}

function main(dumpPath: string, round = 'round6'): void {
  const here = __dirname;
  const findings: Dumped[] = JSON.parse(readFileSync(dumpPath, 'utf8')).findings;
  const corpora: { name: string; heldOut?: string }[] = JSON.parse(readFileSync(join(here, 'corpora.json'), 'utf8')).corpora;
  const first: Record<string, { verdict: Verdict }> = JSON.parse(readFileSync(join(here, 'judgments.json'), 'utf8')).judgments;
  const independent: Record<string, { verdict?: Verdict }> = JSON.parse(readFileSync(join(here, 'independent.json'), 'utf8'));
  const limit = roundNumber(round);
  const before = new Set(corpora.filter((c) => !c.heldOut || roundNumber(c.heldOut) < limit).map((c) => c.name));
  const tuning = findings.filter((f) => before.has(f.corpus));

  const rows = new Map<Class, Dumped[]>();
  for (const f of tuning) {
    const c = classOf(f);
    if (c) rows.set(c, [...(rows.get(c) ?? []), f]);
  }
  const pct = (a: number, b: number) => (b >= 4 ? ` (${Math.round((100 * a) / b)}%)` : '');
  const cells = (fs: Dumped[]) => {
    const i = fs.map((f) => independent[f.key]?.verdict).filter((v): v is Verdict => !!v);
    const j = fs.map((f) => first[f.key]?.verdict).filter((v): v is Verdict => !!v);
    const n = (vs: Verdict[], v: Verdict) => vs.filter((x) => x === v).length;
    return `${n(i, 'worth')} of ${i.length}${pct(n(i, 'worth'), i.length)} | ${n(i, 'wrong')} | ${n(j, 'worth')} of ${j.length}${pct(n(j, 'worth'), j.length)} | ${n(j, 'wrong')}`;
  };
  console.log(`Corpora of rounds 1–${limit - 1}: ${new Set(tuning.map((f) => f.corpus)).size} with findings, ${tuning.length} findings; round-5 warnings ${[...rows.values()].flat().length}, warnings now ${tuning.filter((f) => f.severity === 'warning').length}\n`);
  console.log('| evidence class of the warning (round-5 rules) | independent: worth | wrong | first judge: worth | wrong |');
  console.log('|---|---:|---:|---:|---:|');
  for (const c of Object.keys(CLASSES) as Class[]) if (rows.has(c)) console.log(`| ${CLASSES[c]} | ${cells(rows.get(c)!)} |`);
  const all = [...rows.values()].flat();
  console.log(`| all judged warnings | ${cells(all)} |`);
  const now = tuning.filter((f) => f.severity === 'warning');
  console.log(`| warnings after the calibration | ${cells(now)} |`);
  const worth = tuning.filter((f) => first[f.key]?.verdict === 'worth' || independent[f.key]?.verdict === 'worth');
  console.log(`\nFindings any judge found worth acting on: ${worth.length}; warnings with the round-5 rules ${worth.filter((f) => classOf(f)).length}, now ${worth.filter((f) => f.severity === 'warning').length}`);
}

if (require.main === module) {
  if (!process.argv[2]) throw new Error('usage: node --import tsx bench/precision/tuning.ts <HOTPATH_PRECISION_DUMP file> [round6]');
  main(process.argv[2], process.argv[3]);
}
