// Record `hotpath check --verify` on one held-out round's corpora, in parallel workers (issue 13,
// round 8): each worker checks and verifies every k-th corpus of the round with the precision
// bench's own checkCorpus (the same keys), and the findings the verification touched are written to
// bench/precision/<round>-verified.json, which `npm run bench -- precision` then reports for that
// round. The same as HOTPATH_PRECISION_VERIFY=<round> npm run bench -- precision, in less wall time.
//
//   node --import tsx bench/precision/verify-round.ts round8 [workers=3]
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCorpus, type CorpusFinding } from '../precision.bench';
import { corpora } from './fetch';

async function worker(round: string, i: number, k: number, out: string): Promise<void> {
  process.env.HOTPATH_PRECISION_VERIFY = round;
  const found: CorpusFinding[] = [];
  for (const c of corpora.filter((c) => c.heldOut === round).filter((_, j) => j % k === i)) {
    found.push(...(await checkCorpus(c, { files: 0, ms: 0 })));
    writeFileSync(out, JSON.stringify(found));
  }
}

async function main(): Promise<void> {
  const [round, workers = '3', index, out] = process.argv.slice(2);
  if (!round) throw new Error('usage: verify-round.ts <round> [workers]');
  if (index !== undefined) return worker(round, Number(index), Number(workers), out);
  const k = Number(workers);
  const outs = Array.from({ length: k }, (_, i) => join(tmpdir(), `hotpath-verify-${round}-${process.pid}-${i}.json`));
  await Promise.all(outs.map((o, i) => new Promise<void>((resolve, reject) => {
    writeFileSync(o, '[]');
    spawn(process.execPath, ['--import', 'tsx', __filename, round, String(k), String(i), o], { stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${i} exited ${code}`))));
  })));
  const found: CorpusFinding[] = outs.flatMap((o) => JSON.parse(readFileSync(o, 'utf8')));
  const touched = Object.fromEntries(found.filter((f) => f.message.includes('measured: ')).sort((a, b) => a.key.localeCompare(b.key)).map((f) => [f.key, { severity: f.severity, message: f.message }]));
  const file = join(__dirname, `${round}-verified.json`);
  const comment = `${round} (issue 13): the findings \`hotpath check --verify\` measured or left a warning on the ${round} corpora (${new Date().toISOString().slice(0, 16)} UTC, node --import tsx bench/precision/verify-round.ts ${round} ${k}): key -> severity and message. A measurement depends on the machine, so a re-run can move a finding near the threshold.`;
  writeFileSync(file, `${JSON.stringify({ comment, findings: touched }, null, 1)}\n`);
  console.error(`${Object.keys(touched).length} verified findings of ${found.length} written to ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
