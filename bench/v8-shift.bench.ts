// `npm run bench -- v8-shift`: what one `Array.prototype.shift()` costs in this Node's V8 as the array
// grows (issue 13 round 11: the JavaScript HP203 message and the severity contract say V8 moves the
// elements on `shift()` only past about 16k elements, and trims a smaller array in place). Each size
// drains a fresh array of n numbers with shift() (the first n/2 calls, so the array stays at least n/2
// long), 7 rounds, median nanoseconds per call; the ratio column is against n = 1,024. Material: this
// machine's Node and V8, nothing of the project's.
function perShift(n: number): number {
  const times: number[] = [];
  for (let round = 0; round < 7; round++) {
    const xs = Array.from({ length: n }, (_, i) => i);
    const calls = n >> 1;
    let sink = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) sink += xs.shift()!;
    times.push(Number(process.hrtime.bigint() - t0) / calls);
    if (sink < 0) console.log(sink);
  }
  return times.sort((a, b) => a - b)[3];
}

// Sizes bracket 16,384: V8 trims the front of an array in place unless its backing store lives in the
// large-object space (over 128 KiB; 8 bytes per element in Node's V8, so from about 16,000 elements),
// where it moves every element instead.
const sizes = [1024, 4096, 8192, 12288, 15872, 16384, 32768, 65536, 131072];
perShift(sizes[0]); // warm-up: the first sweep also compiles the loop
const base = perShift(sizes[0]);
console.log(`Node ${process.version}, V8 ${process.versions.v8}\n`);
console.log('| n | ns per shift() | × n = 1,024 |');
console.log('|---:|---:|---:|');
for (const n of sizes) {
  const ns = n === sizes[0] ? base : perShift(n);
  console.log(`| ${n.toLocaleString('en')} | ${ns.toFixed(1)} | ${(ns / base).toFixed(1)} |`);
}
