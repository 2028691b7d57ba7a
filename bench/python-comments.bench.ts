// `npm run bench -- python-comments`: what a run of whole-line comments after code costs
// tree-sitter-python 0.25's parse, as installed (native binding; the WASM build through Hotpath's
// factory shows the same shape), with the text as it is and with the run blanked as
// server/src/parsing/pythonComments.ts gives it to the parser. Material: a file of 40 small functions
// then n lines of `# ` + 98 characters (a commented-out block at the end of a module), one parse each,
// median of 3, side by side in one run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { blankCommentRuns, lexCommentRuns } from '../server/src/parsing/pythonComments';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Parser = require('tree-sitter');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Python = require('tree-sitter-python');

const parser = new Parser();
parser.setLanguage(Python);

function ms(text: string): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    parser.parse(text, undefined, { bufferSize: text.length * 2 + 1 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[1];
}

const code = 'def f():\n    return 1\n'.repeat(40);
console.log(`Node ${process.version}; tree-sitter-python ${require('tree-sitter-python/package.json').version}, native binding\n`);
console.log('| comment lines | as written, ms | blanked, ms | ratio |');
console.log('|---:|---:|---:|---:|');
for (const n of [250, 500, 1000, 2000]) {
  const text = `X = 1\n${code}${`# ${'x'.repeat(98)}\n`.repeat(n)}`;
  const plain = ms(text);
  const blanked = ms(blankCommentRuns(text));
  console.log(`| ${n} | ${plain.toFixed(1)} | ${blanked.toFixed(1)} | ${(plain / blanked).toFixed(0)}× |`);
}

// What finding the runs costs on every parse (each keystroke's included): the lexer over every
// character, against the line pre-check that gives a text without a run as it is. Material: the
// Python standard library this machine has (/usr/lib/python3.11 unless HOTPATH_COMMENTS_DIR), read
// once; both warmed once, then four rounds in alternating order; the outputs are compared text by text.
const dir = process.env.HOTPATH_COMMENTS_DIR ?? '/usr/lib/python3.11';
const files = execFileSync('find', [dir, '-name', '*.py', '-size', '-2M'], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim().split('\n').filter(Boolean);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const differ = texts.filter((t) => blankCommentRuns(t) !== lexCommentRuns(t)).length;
const mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
console.log(`\n${dir}: ${texts.length} files, ${mb.toFixed(1)} M characters; texts whose parser input differs between the two: ${differ}\n`);
console.log('| round | lexer on every text, ms | with the line pre-check, ms | ratio |');
console.log('|---:|---:|---:|---:|');
const timed = (f: (t: string) => string) => {
  const t0 = performance.now();
  for (const t of texts) f(t);
  return performance.now() - t0;
};
// Both warmed once (JIT), then the order alternates per round, so that neither pays the warm-up or
// always runs first (review 11 M6).
timed(lexCommentRuns);
timed(blankCommentRuns);
for (let round = 1; round <= 4; round++) {
  const lexFirst = round % 2 === 1;
  const first = timed(lexFirst ? lexCommentRuns : blankCommentRuns);
  const second = timed(lexFirst ? blankCommentRuns : lexCommentRuns);
  const [lexed, checked] = lexFirst ? [first, second] : [second, first];
  console.log(`| ${round} (${lexFirst ? 'lexer first' : 'pre-check first'}) | ${lexed.toFixed(0)} | ${checked.toFixed(0)} | ${(lexed / checked).toFixed(1)}× |`);
}
