// Side checks behind the round-17 first judge's verdicts on the fresh held-out corpora (issue 13),
// JavaScript part (the Python part is round17-side-checks.py). One run per size; rough on a loaded machine.
//
//   node bench/precision/round17-side-checks.cjs concat 1000 10000
//       diff-dom / htmlparser: `acc = acc.concat([x])` per child vs `acc.push(x)`
//   node bench/precision/round17-side-checks.cjs props 1000 10000 50000
//       properties-parser's Editor.toString() (the fetched corpus) on generated .properties files
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { homedir } = require('node:os');

const corpora = process.env.HOTPATH_CORPORA ?? join(homedir(), '.cache', 'hotpath', 'precision-corpora');
function corpus(name) {
  const dir = existsSync(corpora) ? readdirSync(corpora).filter((d) => d.startsWith(`${name}-`)).sort().pop() : undefined;
  if (!dir) throw new Error(`${name} is not fetched: npx tsx bench/precision/fetch.ts ${name}`);
  return join(corpora, dir);
}
const ms = (t) => (Number(process.hrtime.bigint() - t) / 1e6).toFixed(1);

const [what, ...args] = process.argv.slice(2);
if (what === 'concat') {
  for (const n of args.map(Number)) {
    for (let rep = 0; rep < 2; rep++) {
      let t = process.hrtime.bigint();
      let d = [];
      for (let i = 0; i < n; i++) d = d.concat([{ action: 'replaceElement', route: [i], i }]);
      const concat = ms(t);
      t = process.hrtime.bigint();
      const p = [];
      for (let i = 0; i < n; i++) p.push({ action: 'replaceElement', route: [i], i });
      console.log(`n=${n}: concat ${concat} ms, push ${ms(t)} ms`);
    }
  }
} else if (what === 'props') {
  const pp = require(corpus('properties-parser'));
  for (const n of args.map(Number)) {
    let s = '';
    for (let i = 0; i < n; i++) s += `# comment ${i}\nsection${i % 50}.key${i} = value number ${i}\n`;
    let t = process.hrtime.bigint();
    const editor = pp.editorFromString(s);
    console.log(`${n} entries (${s.length} chars): editorFromString (parse) ${ms(t)} ms`);
    for (let rep = 0; rep < 3; rep++) {
      t = process.hrtime.bigint();
      const out = editor.toString();
      if (out !== s) throw new Error('toString changed the text');
      console.log(`${n} entries: toString ${ms(t)} ms`);
    }
  }
} else {
  console.log('usage: node bench/precision/round17-side-checks.cjs concat|props <sizes>');
  process.exitCode = 1;
}
