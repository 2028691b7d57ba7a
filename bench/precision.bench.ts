// Precision on code nobody here wrote: run `hotpath check` (the CLI's checkFiles) over the pinned
// corpora of bench/precision/corpora.json (real PyPI and npm packages the rules were not tuned on),
// draw a seeded stratified sample (at most SAMPLE_PER_RULE findings per rule, each finding ranked by a
// hash of the seed and its key, so that adding or removing one finding leaves the rest of the sample in
// place), join it with the verdicts of bench/precision/judgments.json and print per-rule figures.
//
//   npm run bench -- precision                       fetch (if needed), check, sample, print tables
//   HOTPATH_PRECISION_EXCERPTS=/tmp/sample.md        also write every sampled finding with its code, for judging
//   HOTPATH_PRECISION_BLIND=1                        ... without the recorded verdicts (for an independent second judge)
//   HOTPATH_PRECISION_BLIND_SAMPLE=/tmp/sample.md    write the blind sample for an independent judge: the written criterion,
//                                                    then the sample and every warning, with code and message, no verdicts
//                                                    and no severity; the judge's answers go to bench/precision/independent.json
//                                                    ({key: {verdict, reason}}) and the bench then reports agreement
//   HOTPATH_PRECISION_BLIND_ROUND=round4            ... the blind sample of one held-out round only: every warning on the corpora
//                                                    that round added, and a seeded stratified sample (at most 6 per rule) of
//                                                    their information findings
//   HOTPATH_PRECISION_BLIND_PER_RULE=3             ... at most this many information findings per rule in that sample (default 6);
//                                                    every finding the round-6 calibration demoted is in it besides
//   HOTPATH_PRECISION_BLIND_DEMOTED=3               ... and a seeded stratified sample (at most this many per rule) of the
//                                                    information findings round 11's plain-check contract made of warnings
//   HOTPATH_PRECISION_UNJUDGED=/tmp/todo.md          write the findings (sampled, or warnings) with no verdict for their message
//   HOTPATH_PRECISION_DUMP=/tmp/findings.json        also write every finding (key, corpus, path, line, code, severity, message)
//   HOTPATH_PRECISION_SEED=13                        the sampling seed (default 13)
//   HOTPATH_PRECISION_ONLY=round8                    check only these corpora (a held-out round or corpus names, comma-separated)
//   HOTPATH_PRECISION_VERIFY=round7                  check these corpora as `hotpath check --verify` does (a held-out round,
//                                                    corpus names, comma-separated, or `all`): each size-dependent finding's
//                                                    function measured by the benchmark engine (cli/verify.ts); runs the
//                                                    packages' code in the sandbox, minutes per round;
//                                                    `static`: plain `hotpath check`'s findings, not the recorded
//                                                    --verify ones (bench/precision/<round>-verified.json)
//
// A verdict belongs to a finding key (corpus, file, rule, the trimmed text of the finding's line and
// its occurrence number) and to the message it was given for: a finding whose message changed since
// it was judged counts as not judged ("re-drawn"), so it is judged again.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lineColumn } from '../server/src/analysis/positions';
import { checkFiles } from '../server/src/cli/check';
import { verifyFindings } from '../server/src/cli/verify';
import { loadParserFactory } from '../server/src/parsing';
import { allRules } from '../server/src/languages';
import { corpora, fetchCorpus, type Corpus } from './precision/fetch';

export const SAMPLE_PER_RULE = 6;
const SEED = process.env.HOTPATH_PRECISION_SEED ?? '13';
const HERE = __dirname;

type Verdict = 'worth' | 'pointless' | 'wrong';

export interface CorpusFinding {
  key: string;
  corpus: string;
  path: string;
  line: number;
  code: string;
  severity: string;
  message: string;
  lineText: string;
  rank: string;
}

interface Judgment {
  verdict: Verdict;
  reason: string;
  message: string;
  severity?: string;
  round?: string;
  /** Verdicts for messages this finding had before a rule change (the bench matches any of them). */
  earlier?: { message: string; verdict: Verdict; reason: string }[];
  /** Round two: two judges, blind to each other, on the message of that time, and how a disagreement was resolved. */
  agreement?: { message?: string; severity: string; first: { verdict: Verdict; reason: string }; second: { verdict: Verdict; reason: string }; resolution?: string };
}

const VERDICTS: Verdict[] = ['worth', 'pointless', 'wrong'];

/** Cohen's kappa of two raters' labels over the same items. */
export function cohensKappa<T>(pairs: readonly (readonly [T, T])[], classes: readonly T[]): { observed: number; kappa: number } {
  const n = pairs.length;
  if (n === 0) return { observed: NaN, kappa: NaN };
  const observed = pairs.filter(([a, b]) => a === b).length / n;
  const expected = classes.reduce((sum, c) => sum + (pairs.filter(([a]) => a === c).length / n) * (pairs.filter(([, b]) => b === c).length / n), 0);
  return { observed, kappa: expected === 1 ? NaN : (observed - expected) / (1 - expected) };
}

function agreementTable(judgments: Record<string, Judgment>, label: string, keep: (j: Judgment) => boolean): void {
  const pairs = Object.values(judgments).filter((j) => j.agreement && keep(j)).map((j) => [j.agreement!.first.verdict, j.agreement!.second.verdict] as const);
  if (pairs.length === 0) return;
  const all = cohensKappa(pairs, VERDICTS);
  const f = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));
  console.log(`\nAgreement of the two judges (${label}, ${pairs.length} findings): raw ${f(all.observed)}, Cohen's kappa ${f(all.kappa)}`);
  console.log('| verdict class | first judge | second judge | both | raw agreement | kappa (this class vs the rest) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const v of VERDICTS) {
    const binary = pairs.map(([a, b]) => [a === v, b === v] as const);
    const k = cohensKappa(binary, [true, false]);
    console.log(`| ${v} | ${binary.filter(([a]) => a).length} | ${binary.filter(([, b]) => b).length} | ${binary.filter(([a, b]) => a && b).length} | ${f(k.observed)} | ${f(k.kappa)} |`);
  }
}

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Every finding of one corpus, with stable keys. */
export async function checkCorpus(c: Corpus, stats: { files: number; ms: number }): Promise<CorpusFinding[]> {
  const dir = fetchCorpus(c);
  const t0 = performance.now();
  // No per-unit time budget: which units a loaded machine gives up on must not change the figures.
  const files = await checkFiles(c.roots.map((r) => join(dir, r)), { cli: { select: [], ignore: [], exclude: c.exclude }, warn: () => undefined, unitBudgetMs: Infinity });
  stats.ms += performance.now() - t0;
  stats.files += files.length;
  const verify = (process.env.HOTPATH_PRECISION_VERIFY ?? '').split(',').filter(Boolean);
  if (verify.includes('all') || verify.includes(c.name) || (c.heldOut && verify.includes(c.heldOut))) {
    const t1 = performance.now();
    const v = await verifyFindings(files, { parsers: await loadParserFactory('wasm'), totalBudgetMs: Infinity });
    console.error(`verify ${c.name}: ${v.candidates} candidates through ${v.functions} functions: ${v.confirmed} superlinear (${v.separated.alone} in one input alone, ${v.separated.product} only with independent inputs together, ${v.separated.unseparated} not split), ${v.refuted} not, ${v.unmeasured} not measured (${((performance.now() - t1) / 1000).toFixed(0)} s)`);
  }
  const out: CorpusFinding[] = [];
  for (const f of files) {
    const path = relative(dir, f.path);
    const lines = f.text.split('\n');
    const seen = new Map<string, number>();
    for (const x of [...f.findings].sort((a, b) => a.startIndex - b.startIndex || a.code.localeCompare(b.code))) {
      const { line } = lineColumn(f.positions, x.startIndex);
      const lineText = lines[line - 1].trim();
      const base = `${c.name}/${path}:${x.code}:${sha(lineText).slice(0, 12)}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const key = `${base}#${n}`;
      out.push({ key, corpus: c.name, path, line, code: x.code, severity: x.severity, message: x.message, lineText, rank: sha(`${SEED}:${key}`) });
    }
  }
  return out;
}

/**
 * A held-out round judged on `hotpath check --verify`'s findings (bench/precision/<round>-verified.json:
 * what the run behind its blind sample measured) reports those severities and messages, unless this
 * run measures them again (HOTPATH_PRECISION_VERIFY): measurements depend on the machine, verdicts on
 * the message they were given for.
 */
function withRecordedVerification(c: Corpus, found: CorpusFinding[]): CorpusFinding[] {
  const file = join(HERE, `precision/${c.heldOut}-verified.json`);
  const verify = (process.env.HOTPATH_PRECISION_VERIFY ?? '').split(',');
  if (!c.heldOut || !existsSync(file) || verify.includes('static') || verify.includes('all') || verify.includes(c.name) || verify.includes(c.heldOut)) return found;
  const recorded: Record<string, { severity: string; message: string }> = JSON.parse(readFileSync(file, 'utf8')).findings;
  return found.map((f) => (recorded[f.key] ? { ...f, ...recorded[f.key] } : f));
}

/** At most `perRule` findings of each rule: those with the lowest seeded rank. */
export function stratifiedSample(findings: CorpusFinding[], perRule: number): CorpusFinding[] {
  const byRule = new Map<string, CorpusFinding[]>();
  for (const f of findings) byRule.set(f.code, [...(byRule.get(f.code) ?? []), f]);
  return [...byRule.keys()].sort().flatMap((code) => byRule.get(code)!.sort((a, b) => a.rank.localeCompare(b.rank)).slice(0, perRule));
}

function pct(n: number, d: number): string {
  return d === 0 ? '—' : `${Math.round((100 * n) / d)}%`;
}

function excerpt(dir: string, f: CorpusFinding, blind = false): string {
  const lines = readFileSync(join(dir, f.path), 'utf8').split('\n');
  const complexity = f.code.startsWith('HP3');
  const from = Math.max(1, f.line - (complexity ? 2 : 30));
  const to = Math.min(lines.length, f.line + (complexity ? 60 : 12));
  const body = lines.slice(from - 1, to).map((l, i) => `${from + i === f.line ? '>>' : '  '}${String(from + i).padStart(5)} ${l}`).join('\n');
  return `### ${f.key}\n${f.code}${blind ? '' : ` (${f.severity})`} ${f.corpus}/${f.path}:${f.line}\n${f.message}\n\n\`\`\`\n${body}\n\`\`\`\n`;
}

/** The written criterion, as bench/precision.md states it (its "## Criterion" section, up to the judge line). */
function criterion(): string {
  const md = readFileSync(join(HERE, 'precision.md'), 'utf8');
  const start = md.indexOf('## Criterion');
  const end = md.indexOf('\nJudge', start);
  return md.slice(start, end === -1 ? md.indexOf('\n## ', start + 5) : end).trim();
}

/** The words of the note calibratedVerdict (analysis/sizeVerdict.ts) ends a demoted finding's message with. */
const CALIBRATED_MARK = 'a warning is kept for a work queue that a `while` loop drains';

/** The words applyVerification (server/src/cli/verify.ts) ends a measured finding's message with when the cost did not show. */
const MEASURED_MARK = 'so this cost does not show up to that size';
/** … and when it was superlinear only with independent inputs growing together (round 8: one parameter grown at a time). */
const PRODUCT_MARK = 'superlinear only if both grow';
/**
 * Round 9's contract: the other findings a measurement (or its absence) took below the static rules'
 * warning: superlinear where the function documents that cost, superlinear but not attributable to the
 * line, and a static warning that could not be measured.
 */
const CONTRACT_MARKS = ['and the function says so itself', 'not attributable to', 'a warning by the static rules'];
/**
 * Round 11's severity contract of plain `check` (issue 13): the words of the information findings it made
 * of the earlier rules' warnings (a queue only drained, V8's shift threshold, the deliberate naive
 * variant, an enumeration, a length check; review 8 removed HP103's bulk-data demotion). With
 * HOTPATH_PRECISION_BLIND_DEMOTED=k the blind sample of a round holds a seeded stratified sample of them
 * (at most k per rule), to judge what the contract costs out of sample.
 */
const PLAIN_CONTRACT_MARKS = [
  'a warning needs the loop to refill it (a traversal) or the queue to come from the function\'s parameters',
  'V8 copies on `shift()` only past about 16k elements',
  'says it is the naive variant',
  'the variant to call where the size grows',
  'so it enumerates its outputs',
  'leaves the function before the loop, so',
];

function blindHeader(n: number, round?: string): string {
  const what = round
    ? `on the corpora of bench/precision/corpora.json held out in ${round} (${corpora.filter((c) => c.heldOut === round).map((c) => `${c.ecosystem} ${c.name} ${c.version}`).join(', ')}): every warning-severity finding on them, ${process.env.HOTPATH_PRECISION_VERIFY === 'static' ? `a seeded sample (at most ${process.env.HOTPATH_PRECISION_BLIND_DEMOTED ?? 0} per rule) of the information findings whose message says why they are not warnings` : process.env.HOTPATH_PRECISION_VERIFY ? 'every finding a measurement of its function (`hotpath check --verify`) made information' : 'every finding the round-6 severity calibration made information'}, and a seeded stratified sample of their other information findings (at most ${process.env.HOTPATH_PRECISION_BLIND_PER_RULE ?? SAMPLE_PER_RULE} per rule)`
    : 'on the pinned PyPI/npm corpora of bench/precision/corpora.json\n(the seeded stratified sample of `npm run bench -- precision`, at most 6 per rule, and every\nwarning-severity finding)';
  return `# Precision: blind sample for an independent judge (issue 13)

${n} findings of \`hotpath check\` ${what}. Each is shown with its rule, its message and its code; the recorded
verdicts and the findings' severities are left out on purpose. Do not read
bench/precision/judgments.json, bench/precision/independent.json (an earlier independent judge's
verdicts), any verdicts.json of an earlier sample, or bench/precision.md's tables before you are done.

Judge each finding by the criterion below, reading its code (open the corpus file under
~/.cache/hotpath/precision-corpora/ for callers where sizes depend on them), and write
\`{"<key after ###>": {"verdict": "worth" | "pointless" | "wrong", "reason": "one line"}}\` for every
finding to verdicts.json beside this file. The precision bench reads its committed copy,
bench/precision/independent.json.

${criterion()}

---

`;
}

/**
 * The recall cost of severities: every finding a judge ever found worth acting on (the recorded
 * verdict, an earlier one for another message, or either judge of a recorded agreement) and what it
 * is now: still a warning, demoted to information or a hint, or no longer reported.
 */
function recallCost(all: readonly CorpusFinding[], judgments: Record<string, Judgment>): void {
  const now = new Map(all.map((f) => [f.key, f]));
  const worth = Object.entries(judgments).filter(([, j]) => j.verdict === 'worth' || j.earlier?.some((e) => e.verdict === 'worth') || j.agreement?.first.verdict === 'worth' || j.agreement?.second.verdict === 'worth');
  const by = { warning: [] as string[], information: [] as string[], hint: [] as string[], gone: [] as string[] };
  for (const [key] of worth) {
    const f = now.get(key);
    const bucket = !f ? 'gone' : f.severity === 'warning' ? 'warning' : f.severity === 'hint' ? 'hint' : 'information';
    const notes: [string, string][] = [
      ['; no evidence this grows with the input', ': no evidence of growth'],
      ['; no evidence this collection grows with the loop', ': no evidence it grows with the loop'],
      ['the same iteration already does O(n) work', ': dominated by other O(n) work'],
      ['on every iteration of the loop around it already costs O(n log n)', ': re-sorted around the scan'],
      ['; the function also does', ': heavier work in the function'],
      ['; each iteration also waits on I/O', ': I/O in the iteration'],
    ];
    const why = !f ? '' : notes.find(([text]) => f.message.includes(text))?.[1] ?? (f.severity !== 'warning' ? `: the rule's severity` : '');
    by[bucket].push(f ? `${key} (${f.code} ${f.severity}${why})` : key);
  }
  console.log(`\nRecall cost: findings any judge found worth acting on (${worth.length}): still warnings ${by.warning.length}, now information ${by.information.length}, hints ${by.hint.length}, no longer reported ${by.gone.length}.`);
  for (const k of [...by.information, ...by.hint, ...by.gone]) console.log(`  demoted or dropped: ${k}`);
}

/** An independent judge's verdict for one finding and the message it was given for; `round` names the blind sample it came from. */
interface IndependentVerdict {
  verdict: Verdict;
  reason: string;
  message: string;
  round?: string;
  /** Verdicts from earlier blind samples (another judge, or another message). */
  earlier?: { verdict: Verdict; reason: string; message: string; round?: string }[];
}

function readIndependent(): Record<string, IndependentVerdict> | null {
  const path = join(HERE, 'precision/independent.json');
  if (!existsSync(path)) {
    console.log('\nIndependent judge: no bench/precision/independent.json yet (write the blind sample with HOTPATH_PRECISION_BLIND_SAMPLE).');
    return null;
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The independent verdict for a finding's current message: the latest blind sample's, else an earlier one for the same message. */
function independentVerdictOf(theirs: Record<string, IndependentVerdict> | null, f: CorpusFinding): Verdict | undefined {
  const t = theirs?.[f.key];
  if (!t) return undefined;
  return t.message === f.message ? t.verdict : t.earlier?.find((e) => e.message === f.message)?.verdict;
}

/**
 * The target, per corpus and for the held-out corpora apart (corpora.json `heldOut`: added after the
 * rules were frozen, findings unseen while tuning): every warning, as each judge sees it.
 */
function perCorpusWarnings(all: readonly CorpusFinding[], verdictOf: (f: CorpusFinding) => Verdict | undefined, theirs: Record<string, IndependentVerdict> | null): void {
  const heldOut = new Map(corpora.map((c) => [c.name, c.heldOut]));
  const cell = (fs: readonly CorpusFinding[], v: (f: CorpusFinding) => Verdict | undefined): string => {
    const judged = fs.filter((f) => v(f));
    const n = (x: Verdict) => judged.filter((f) => v(f) === x).length;
    return judged.length === 0 ? '— | — | —' : `${n('worth')} (${pct(n('worth'), judged.length)}) | ${n('pointless')} | ${n('wrong')} (${pct(n('wrong'), judged.length)})${judged.length < fs.length ? ` [${fs.length - judged.length} not judged]` : ''}`;
  };
  const theirsOf = (f: CorpusFinding) => independentVerdictOf(theirs, f);
  console.log('\nWarnings per corpus (census: every warning), as the first judge (judgments.json) and the independent judge (independent.json) see them:\n');
  console.log('| corpus | held out | warnings | first: worth | pointless | wrong | independent: worth | pointless | wrong |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  const warn = all.filter((f) => f.severity === 'warning');
  const rows: [string, string, CorpusFinding[]][] = corpora.map((c) => [c.name, c.heldOut ?? '', warn.filter((f) => f.corpus === c.name)]);
  const tuned = warn.filter((f) => !heldOut.get(f.corpus));
  rows.push(['**tuned-on corpora**', '', tuned]);
  // Each held-out round apart: a round's corpora are unseen only until the rules are tuned again.
  for (const round of [...new Set(corpora.map((c) => c.heldOut).filter((r): r is string => !!r))].sort()) rows.push([`**held-out corpora, ${round}**`, round, warn.filter((f) => heldOut.get(f.corpus) === round)]);
  rows.push(['**all corpora**', '', warn]);
  for (const [name, h, fs] of rows) console.log(`| ${name} | ${h} | ${fs.length} | ${cell(fs, verdictOf)} | ${cell(fs, theirsOf)} |`);
}

/**
 * The independent judge (bench/precision/independent.json, written blind from the sample that
 * HOTPATH_PRECISION_BLIND_SAMPLE writes; each verdict with the message it was given for): agreement
 * with the recorded verdict for that same message (current or earlier), that judge's figures for the
 * warnings whose message has not changed since, and what became of the findings it judged wrong.
 */
function reportIndependent(who: string, all: readonly CorpusFinding[], judgments: Record<string, Judgment>, theirs: Record<string, { verdict: Verdict; reason: string; message: string }>): void {
  const now = new Map(all.map((f) => [f.key, f]));
  const recordedFor = (key: string, message: string): Verdict | undefined => {
    const j = judgments[key];
    return !j ? undefined : j.message === message ? j.verdict : j.earlier?.find((e) => e.message === message)?.verdict;
  };
  const unchanged = (key: string) => now.get(key)?.message === theirs[key].message;
  const pairsOf = (keys: string[]) => keys.flatMap((k) => (recordedFor(k, theirs[k].message) && VERDICTS.includes(theirs[k].verdict) ? [[recordedFor(k, theirs[k].message)!, theirs[k].verdict] as const] : []));
  const f2 = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));
  const keys = Object.keys(theirs);
  const warnings = keys.filter((k) => unchanged(k) && now.get(k)!.severity === 'warning');
  for (const [label, ks] of [['every severity, on the messages it judged', keys], ['warnings', warnings]] as const) {
    const pairs = pairsOf(ks);
    if (pairs.length === 0) continue;
    const k = cohensKappa(pairs, VERDICTS);
    console.log(`\n${who} vs recorded verdicts (${label}, ${pairs.length} findings judged by both): agreement ${pct(pairs.filter(([a, b]) => a === b).length, pairs.length)}, Cohen's kappa ${f2(k.kappa)}`);
    console.log('| recorded \\ independent | worth | pointless | wrong |');
    console.log('|---|---:|---:|---:|');
    for (const a of VERDICTS) console.log(`| ${a} | ${VERDICTS.map((b) => pairs.filter(([x, y]) => x === a && y === b).length).join(' | ')} |`);
  }
  const count = (v: Verdict) => warnings.filter((k) => theirs[k].verdict === v).length;
  console.log(`  ${who} on the ${warnings.length} current warnings it judged (same message): worth acting on ${count('worth')} (${pct(count('worth'), warnings.length)}), true but pointless ${count('pointless')} (${pct(count('pointless'), warnings.length)}), wrong ${count('wrong')} (${pct(count('wrong'), warnings.length)})`);
  const theirWorth = keys.filter((k) => theirs[k].verdict === 'worth');
  const notWarnings = theirWorth.filter((k) => now.get(k)?.severity !== 'warning');
  console.log(`\nRecall cost seen by ${who}: of its ${theirWorth.length} worth-acting findings, ${theirWorth.length - notWarnings.length} are warnings${notWarnings.map((k) => `; ${k} is ${now.get(k)?.severity ?? 'no longer reported'}`).join('')}.`);
  const wrong = keys.filter((k) => theirs[k].verdict === 'wrong');
  const since = wrong.filter((k) => !unchanged(k));
  console.log(`Its ${wrong.length} wrong findings: ${since.length} changed since (${since.filter((k) => !now.has(k)).length} no longer reported, ${since.filter((k) => now.has(k)).length} with a new message, judged again by the first judge); ${wrong.length - since.length} unchanged (${[...new Set(wrong.filter(unchanged).map((k) => now.get(k)!.code))].sort().join(', ')}).`);
}

/**
 * Every independent judge (bench/precision/independent.json: one blind sample per round, each verdict
 * with the message it was given for; a later round's verdict keeps the earlier ones in `earlier`):
 * each judge against the recorded verdicts, and the judges against each other on the same messages.
 */
function independentJudge(all: readonly CorpusFinding[], judgments: Record<string, Judgment>): void {
  const theirs = readIndependent();
  if (!theirs) return;
  const byRound = new Map<string, Record<string, { verdict: Verdict; reason: string; message: string }>>();
  for (const [key, t] of Object.entries(theirs)) {
    for (const e of [t, ...(t.earlier ?? [])]) {
      const r = e.round ?? 'round2';
      if (!byRound.has(r)) byRound.set(r, {});
      byRound.get(r)![key] = e;
    }
  }
  const rounds = [...byRound.keys()].sort();
  for (const r of rounds) reportIndependent(`Independent judge (${r} blind sample)`, all, judgments, byRound.get(r)!);
  // Two independent judges on the same finding and message.
  for (let a = 0; a < rounds.length; a++) {
    for (let b = a + 1; b < rounds.length; b++) {
      const x = byRound.get(rounds[a])!;
      const y = byRound.get(rounds[b])!;
      const pairs = Object.keys(x).filter((k) => y[k] && y[k].message === x[k].message).map((k) => [x[k].verdict, y[k].verdict] as const);
      if (pairs.length === 0) continue;
      const k = cohensKappa(pairs, VERDICTS);
      console.log(`\nThe ${rounds[a]} and ${rounds[b]} independent judges on the same ${pairs.length} findings and messages: agreement ${pct(pairs.filter(([p, q]) => p === q).length, pairs.length)}, Cohen's kappa ${Number.isNaN(k.kappa) ? '—' : k.kappa.toFixed(2)}`);
      console.log(`| ${rounds[a]} \\ ${rounds[b]} | worth | pointless | wrong |`);
      console.log('|---|---:|---:|---:|');
      for (const p of VERDICTS) console.log(`| ${p} | ${VERDICTS.map((q) => pairs.filter(([u, v]) => u === p && v === q).length).join(' | ')} |`);
    }
  }
}

async function main(): Promise<void> {
  // HOTPATH_PRECISION_ONLY=round8 (a held-out round or corpus names): check only those corpora (a blind
  // sample of one round draws from its corpora alone, so it is the same; the tables cover only them).
  const only = (process.env.HOTPATH_PRECISION_ONLY ?? '').split(',').filter(Boolean);
  const list = only.length ? corpora.filter((c) => only.includes(c.name) || (c.heldOut && only.includes(c.heldOut))) : corpora;
  const judgments: Record<string, Judgment> = JSON.parse(readFileSync(join(HERE, 'precision/judgments.json'), 'utf8')).judgments;
  const all: CorpusFinding[] = [];
  const perCorpus: { c: Corpus; files: number; ms: number; findings: number }[] = [];
  for (const c of list) {
    const stats = { files: 0, ms: 0 };
    const found = withRecordedVerification(c, await checkCorpus(c, stats));
    all.push(...found);
    perCorpus.push({ c, ...stats, findings: found.length });
  }
  console.log('| corpus | registry | version | files | findings | check time |');
  console.log('|---|---|---|---:|---:|---:|');
  for (const p of perCorpus) console.log(`| ${p.c.name} | ${p.c.ecosystem} | ${p.c.version} | ${p.files} | ${p.findings} | ${(p.ms / 1000).toFixed(1)} s |`);

  const sample = stratifiedSample(all, SAMPLE_PER_RULE);
  const judgmentOf = (f: CorpusFinding): { verdict: Verdict; reason: string } | undefined => {
    const j = judgments[f.key];
    if (!j) return undefined;
    return j.message === f.message ? j : j.earlier?.find((e) => e.message === f.message);
  };
  const verdictOf = (f: CorpusFinding): Verdict | undefined => judgmentOf(f)?.verdict;
  const names = new Map(allRules().map((r) => [r.code, r.name]));
  const codes = [...new Set(all.map((f) => f.code))].sort();
  console.log(`\nSample: seed ${SEED}, at most ${SAMPLE_PER_RULE} per rule, ${sample.length} findings.\n`);
  console.log('| rule | name | severity | findings | sampled | worth acting on | true but pointless | wrong | not judged |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
  const totals = { worth: 0, pointless: 0, wrong: 0, unjudged: 0 };
  for (const code of codes) {
    const pop = all.filter((f) => f.code === code);
    const s = sample.filter((f) => f.code === code);
    const v = { worth: 0, pointless: 0, wrong: 0, unjudged: 0 };
    for (const f of s) v[verdictOf(f) ?? 'unjudged']++;
    for (const k of Object.keys(v) as (keyof typeof v)[]) totals[k] += v[k];
    const sev = [...new Set(pop.map((f) => f.severity))].join(', ');
    console.log(`| ${code} | ${names.get(code) ?? ''} | ${sev} | ${pop.length} | ${s.length} | ${v.worth} | ${v.pointless} | ${v.wrong} | ${v.unjudged} |`);
  }
  console.log(`| all | | | ${all.length} | ${sample.length} | ${totals.worth} | ${totals.pointless} | ${totals.wrong} | ${totals.unjudged} |`);

  // Warning-severity findings: the sample's verdicts, and the estimate weighted by each rule's share
  // of the population (the sample is stratified, so the raw shares over-weight the rare rules).
  const warn = all.filter((f) => f.severity === 'warning');
  const warnCodes = [...new Set(warn.map((f) => f.code))];
  let wWorth = 0;
  let wWrong = 0;
  let wJudgedPop = 0;
  const raw = { worth: 0, pointless: 0, wrong: 0, n: 0 };
  for (const code of warnCodes) {
    const pop = warn.filter((f) => f.code === code).length;
    const judged = sample.filter((f) => f.code === code && f.severity === 'warning' && verdictOf(f));
    if (judged.length === 0) continue;
    wJudgedPop += pop;
    wWorth += (pop * judged.filter((f) => verdictOf(f) === 'worth').length) / judged.length;
    wWrong += (pop * judged.filter((f) => verdictOf(f) === 'wrong').length) / judged.length;
    for (const f of judged) raw[verdictOf(f)!]++;
    raw.n += judged.length;
  }
  console.log(`\nWarning-severity findings: ${warn.length} (of ${all.length}); judged in the sample: ${raw.n}.`);
  console.log(`  sample: worth acting on ${raw.worth} (${pct(raw.worth, raw.n)}), true but pointless ${raw.pointless} (${pct(raw.pointless, raw.n)}), wrong ${raw.wrong} (${pct(raw.wrong, raw.n)})`);
  console.log(`  weighted by each rule's share of the warnings: worth acting on ${pct(wWorth, wJudgedPop)}, wrong ${pct(wWrong, wJudgedPop)}`);

  // Every warning-severity finding judged (a census, not a sample): the figure the target is about.
  const census = { worth: 0, pointless: 0, wrong: 0, unjudged: 0 };
  for (const f of warn) census[verdictOf(f) ?? 'unjudged']++;
  const judgedWarnings = warn.length - census.unjudged;
  console.log(`  all ${warn.length} warnings (census): worth acting on ${census.worth} (${pct(census.worth, judgedWarnings)}), true but pointless ${census.pointless} (${pct(census.pointless, judgedWarnings)}), wrong ${census.wrong} (${pct(census.wrong, judgedWarnings)})${census.unjudged ? `, not judged ${census.unjudged}` : ''}`);
  agreementTable(judgments, 'round-two sample, every severity', () => true);
  agreementTable(judgments, 'the warnings among them', (j) => j.agreement!.severity === 'warning');
  recallCost(all, judgments);
  independentJudge(all, judgments);
  perCorpusWarnings(all, verdictOf, existsSync(join(HERE, 'precision/independent.json')) ? JSON.parse(readFileSync(join(HERE, 'precision/independent.json'), 'utf8')) : null);

  const unjudged = sample.filter((f) => !verdictOf(f));
  if (unjudged.length) console.log(`\n${unjudged.length} sampled findings have no verdict for their current message (first: ${unjudged[0].key}).`);
  const dirs = new Map(list.map((c) => [c.name, fetchCorpus(c)]));
  if (process.env.HOTPATH_PRECISION_EXCERPTS) {
    const blind = process.env.HOTPATH_PRECISION_BLIND === '1';
    const recorded = (f: CorpusFinding): string => (!blind && judgmentOf(f) ? `\nverdict: ${judgmentOf(f)!.verdict} (${judgmentOf(f)!.reason})\n` : '');
    writeFileSync(process.env.HOTPATH_PRECISION_EXCERPTS, sample.map((f) => excerpt(dirs.get(f.corpus)!, f) + recorded(f)).join('\n'));
    console.log(`wrote ${sample.length} excerpts to ${process.env.HOTPATH_PRECISION_EXCERPTS}`);
  }
  if (process.env.HOTPATH_PRECISION_BLIND_SAMPLE) {
    // One list in key order: which findings are warnings must not show (the sample holds every warning).
    const round = process.env.HOTPATH_PRECISION_BLIND_ROUND;
    const inRound = (f: CorpusFinding) => corpora.find((c) => c.name === f.corpus)?.heldOut === round;
    const perRule = Number(process.env.HOTPATH_PRECISION_BLIND_PER_RULE ?? SAMPLE_PER_RULE);
    // Since round 6 also every finding the severity calibration demoted (analysis/sizeVerdict.ts calibratedVerdict): the round-5 rules' warnings, judged to test the demotion out of sample.
    // With HOTPATH_PRECISION_VERIFY (round 7) every finding a measurement made information instead; the
    // calibration's, tested in round 6, are then left out of the sample altogether.
    const verified = !!process.env.HOTPATH_PRECISION_VERIFY;
    const calibrated = (f: CorpusFinding) => f.severity === 'information' && f.message.includes(CALIBRATED_MARK);
    const measuredDown = (f: CorpusFinding) => f.severity === 'information' && [MEASURED_MARK, PRODUCT_MARK, ...CONTRACT_MARKS].some((m) => f.message.includes(m));
    const plainDemoted = (f: CorpusFinding) => f.severity !== 'warning' && PLAIN_CONTRACT_MARKS.some((m) => f.message.includes(m));
    const demotedPerRule = Number(process.env.HOTPATH_PRECISION_BLIND_DEMOTED ?? 0);
    const contract = round && demotedPerRule > 0 ? stratifiedSample(all.filter((f) => inRound(f) && plainDemoted(f)), demotedPerRule) : [];
    const demoted = (f: CorpusFinding) => (verified ? measuredDown(f) : calibrated(f)) || contract.includes(f);
    const chosen = round ? [...warn.filter(inRound), ...all.filter((f) => inRound(f) && demoted(f)), ...stratifiedSample(all.filter((f) => inRound(f) && f.severity === 'information' && !calibrated(f) && !measuredDown(f)), perRule)] : [...sample, ...warn];
    const todo = [...new Set(chosen)].sort((a, b) => a.key.localeCompare(b.key));
    writeFileSync(process.env.HOTPATH_PRECISION_BLIND_SAMPLE, blindHeader(todo.length, round) + todo.map((f) => excerpt(dirs.get(f.corpus)!, f, true)).join('\n'));
    console.log(`wrote the blind sample (${todo.length} findings, no verdicts, no severities) to ${process.env.HOTPATH_PRECISION_BLIND_SAMPLE}`);
  }
  if (process.env.HOTPATH_PRECISION_UNJUDGED) {
    const todo = [...new Set([...sample, ...warn])].filter((f) => !verdictOf(f));
    writeFileSync(process.env.HOTPATH_PRECISION_UNJUDGED, todo.map((f) => excerpt(dirs.get(f.corpus)!, f)).join('\n'));
    console.log(`wrote ${todo.length} findings without a verdict to ${process.env.HOTPATH_PRECISION_UNJUDGED}`);
  }
  if (process.env.HOTPATH_PRECISION_DUMP) writeFileSync(process.env.HOTPATH_PRECISION_DUMP, JSON.stringify({ seed: SEED, sample: sample.map((f) => f.key), findings: all }, null, 1));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
