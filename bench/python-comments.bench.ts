// `npm run bench -- python-comments`: what a run of whole-line comments after code costs
// tree-sitter-python 0.25's parse, as installed (native binding; the WASM build through Hotpath's
// factory shows the same shape), with the text as it is and with the run blanked as
// server/src/parsing/pythonComments.ts gives it to the parser. Material: a file of 40 small functions
// then n lines of `# ` + 98 characters (a commented-out block at the end of a module), one parse each,
// median of 3, side by side in one run.
import { blankCommentRuns } from '../server/src/parsing/pythonComments';

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
