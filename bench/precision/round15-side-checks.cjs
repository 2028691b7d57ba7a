// The first judge's side checks of round 15 (bench/precision.md "Fresh (held out in round 15)"), on the
// fetched corpora (npx tsx bench/precision/fetch.ts protocol-buffers-schema rtree):
//   node bench/precision/round15-side-checks.cjs parse    protocol-buffers-schema 3.6.1 parse() on generated schemas
//   node bench/precision/round15-side-checks.cjs shift    its token list drained by shift() alone
//   node bench/precision/round15-side-checks.cjs rtree    rtree 1.4.2 remove(rect) over n random points
// Wall times of one run: the load at the time goes beside any figure taken from them.
const corpora = `${process.env.HOME}/.cache/hotpath/precision-corpora`;
const ms = (t) => (Number(process.hrtime.bigint() - t) / 1e6).toFixed(1);
function schema(n) {
  let s = 'syntax = "proto3";\npackage x;\n';
  for (let i = 0; i < n; i++) s += `message M${i} {\n  string a = 1;\n  int32 b = 2;\n  oneof c { string d = 3; int64 e = 4; }\n  repeated M${i} f = 5;\n}\n`;
  return s;
}
const mode = process.argv[2];
if (mode === 'parse') {
  const parse = require(`${corpora}/protocol-buffers-schema-3.6.1/parse.js`);
  for (const n of [100, 1000, 3000, 10000]) {
    const s = schema(n);
    const t = process.hrtime.bigint();
    parse(s);
    console.log(n, 'messages', s.split('\n').length, 'lines', ms(t), 'ms');
  }
} else if (mode === 'shift') {
  const tokenize = require(`${corpora}/protocol-buffers-schema-3.6.1/tokenize.js`);
  for (const n of [1000, 3000]) {
    const tokens = tokenize(schema(n));
    const a = tokens.slice();
    const t = process.hrtime.bigint();
    while (a.length) a.shift();
    console.log(n, 'messages', tokens.length, 'tokens, drained by shift() in', ms(t), 'ms');
  }
} else if (mode === 'rtree') {
  const RTree = require(`${corpora}/rtree-1.4.2/lib/index.js`);
  for (const n of [2000, 8000, 32000]) {
    const tree = new RTree();
    for (let i = 0; i < n; i++) tree.insert({ x: Math.random() * 1000, y: Math.random() * 1000, w: 0, h: 0 }, i);
    const t = process.hrtime.bigint();
    const removed = tree.remove({ x: 0, y: 0, w: 500, h: 1000 });
    console.log(n, 'points,', removed.length, 'removed in', ms(t), 'ms');
  }
} else {
  console.error('usage: node bench/precision/round15-side-checks.cjs parse|shift|rtree');
  process.exit(2);
}
