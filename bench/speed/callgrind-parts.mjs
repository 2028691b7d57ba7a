// A callgrind count by part (issue 18 rounds 10–12), from callgrind_annotate's self counts by symbol:
//   valgrind --tool=callgrind --callgrind-out-file=OUT node --single-threaded dist/instructions-check.js bench/speed/instructions-62.txt
//   node bench/speed/callgrind-parts.mjs OUT
// "JIT code" is code without a symbol: what V8 generated, for the JavaScript and the WebAssembly alike.
import { execFileSync } from 'node:child_process';

const PARTS = [
  ['TurboFan (optimising compiler)', /v8::internal::compiler::|v8::internal::Pipeline|turboshaft/],
  ['WebAssembly compile (Liftoff)', /v8::internal::wasm::/],
  ['GC', /Scavenge|MarkCompact|MarkingVisitor|v8::internal::Heap::|heap::base|cppgc|Sweeper|Evacuat|ConcurrentMarking|MinorMark|RememberedSet|SlotSet|v8::internal::MemoryAllocator|IncrementalMarking|MarkingBarrier|WriteBarrier|LargeObjectSpace|PagedSpace|NewSpace|FreeList|MemoryChunk|LocalHeap|MainAllocator|SemiSpace/],
  ['JS parse and bytecode', /v8::internal::(Scanner|Parser|ParserBase|PreParser|AstValueFactory|AstNode|interpreter::|baseline::|maglev::|Zone|DeclarationScope|Scope::|FuncNameInferrer|Utf8Decoder|BytecodeArray|AstRaw)/],
  ['builtins', /Builtins_/],
  ['JIT code (JavaScript and WebAssembly)', /^\?\?\?:0x/],
  ['IC and runtime (other v8::internal)', /v8::internal::/],
];

const out = execFileSync('callgrind_annotate', ['--threshold=100', process.argv[2]], { encoding: 'utf8', maxBuffer: 1 << 28 });
const sums = new Map([...PARTS.map(([p]) => [p, 0]), ['other (libc, node, …)', 0]]);
let total = 0;
for (const line of out.split('\n')) {
  const m = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/.exec(line);
  if (!m) continue;
  const n = Number(m[1].replace(/,/g, ''));
  if (m[2].includes('PROGRAM TOTALS')) {
    total = n;
    continue;
  }
  const part = PARTS.find(([, re]) => re.test(m[2]))?.[0] ?? 'other (libc, node, …)';
  sums.set(part, sums.get(part) + n);
}
const mega = (n) => `${(n / 1e6).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} M`;
console.log(`| part | instructions | share |\n|---|---:|---:|`);
for (const [p, n] of sums) console.log(`| ${p} | ${mega(n)} | ${((100 * n) / total).toFixed(1)}% |`);
console.log(`| total | ${mega(total)} | |`);
