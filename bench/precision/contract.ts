// The in-sample table of a severity change (issue 13 round 11): plain `hotpath check`'s warnings on
// the judged corpora before and after, joined by finding key with the first judge's verdicts
// (judgments.json) and the independent ones (independent.json), and what the change demoted.
//
//   HOTPATH_PRECISION_VERIFY=static HOTPATH_PRECISION_ONLY=<judged corpora> HOTPATH_PRECISION_DUMP=/tmp/before.json npm run bench -- precision   # on the old commit
//   … HOTPATH_PRECISION_DUMP=/tmp/after.json …                                                                                            # on the new one
//   node --import tsx bench/precision/contract.ts /tmp/before.json /tmp/after.json
//
// Verdicts are by finding key: a verdict was given for the message of its round, so this is evidence in
// sample (the change was calibrated on these verdicts), not out of sample.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Dumped { key: string; corpus: string; code: string; severity: string; message: string }
type Verdict = 'worth' | 'pointless' | 'wrong';

function main(beforePath: string, afterPath: string): void {
  const first: Record<string, { verdict?: Verdict }> = JSON.parse(readFileSync(join(__dirname, 'judgments.json'), 'utf8')).judgments;
  const independent: Record<string, { verdict?: Verdict }> = JSON.parse(readFileSync(join(__dirname, 'independent.json'), 'utf8'));
  const after: Dumped[] = JSON.parse(readFileSync(afterPath, 'utf8')).findings;
  const corpora = new Set(after.map((f) => f.corpus));
  const before = (JSON.parse(readFileSync(beforePath, 'utf8')).findings as Dumped[]).filter((f) => corpora.has(f.corpus));
  const now = new Map(after.map((f) => [f.key, f]));
  const v = (k: string): [string, string] => [first[k]?.verdict ?? '-', independent[k]?.verdict ?? '-'];
  const row = (label: string, fs: Dumped[]) => {
    const count = (i: 0 | 1, x: string) => fs.filter((f) => v(f.key)[i] === x).length;
    const judged = (i: 0 | 1) => fs.filter((f) => v(f.key)[i] !== '-').length;
    const pct = (a: number, b: number) => (b ? ` (${Math.round((100 * a) / b)}%)` : '');
    const both = (x: string) => fs.filter((f) => v(f.key)[0] === x && v(f.key)[1] === x).length;
    console.log(`| ${label} | ${fs.length} | ${count(0, 'worth')} of ${judged(0)}${pct(count(0, 'worth'), judged(0))} / ${count(0, 'wrong')} | ${count(1, 'worth')} of ${judged(1)}${pct(count(1, 'worth'), judged(1))} / ${count(1, 'wrong')} | ${both('worth')} / ${both('wrong')} |`);
  };
  const warnBefore = before.filter((f) => f.severity === 'warning');
  const warnAfter = after.filter((f) => f.severity === 'warning');
  const demoted = warnBefore.filter((f) => now.get(f.key)?.severity !== 'warning');
  console.log(`${corpora.size} corpora; findings ${before.length} before, ${after.length} after; dropped ${before.filter((f) => !now.has(f.key)).length}, added ${after.filter((f) => !before.some((g) => g.key === f.key)).length}\n`);
  console.log('| plain check warnings | n | first judge worth / wrong | independent worth / wrong | worth / wrong by both |\n|---|---:|---:|---:|---:|');
  row('before', warnBefore);
  row('after', warnAfter);
  row('demoted to information', demoted);
  const byRule = new Map<string, number>();
  for (const f of demoted) byRule.set(f.code, (byRule.get(f.code) ?? 0) + 1);
  console.log(`\ndemoted by rule: ${[...byRule].map(([c, n]) => `${c} ${n}`).join(', ')}`);
  for (const f of demoted) if (v(f.key).includes('worth')) console.log(`demoted, worth acting on by ${v(f.key)[0] === 'worth' && v(f.key)[1] === 'worth' ? 'both' : v(f.key)[0] === 'worth' ? 'the first judge' : 'the independent judge'}: ${f.key}`);
  for (const f of warnAfter) if (v(f.key).includes('wrong')) console.log(`still a warning, wrong by ${v(f.key)[0] === 'wrong' && v(f.key)[1] === 'wrong' ? 'both' : v(f.key)[0] === 'wrong' ? 'the first judge' : 'the independent judge'}: ${f.key}`);
}

main(process.argv[2], process.argv[3]);
