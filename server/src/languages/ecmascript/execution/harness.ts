// The Node side of the harness (JavaScript and TypeScript, both bundled to CommonJS by esbuild
// before they get here). Same protocol as the Python harness: JSON lines over fd 3, read and
// written synchronously so that progress messages leave while the function runs.
export const JS_HARNESS = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const util = require('util');
const Module = require('module');

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms) => Atomics.wait(sleeper, 0, 0, ms);
let inbuf = '';
function readLine() {
  for (;;) {
    const i = inbuf.indexOf('\n');
    if (i >= 0) { const l = inbuf.slice(0, i); inbuf = inbuf.slice(i + 1); return l; }
    const b = Buffer.alloc(65536);
    let n;
    try { n = fs.readSync(3, b, 0, b.length, null); }
    catch (e) { if (e.code === 'EAGAIN') { sleep(2); continue; } if (e.code === 'EOF') return null; throw e; }
    if (n === 0) return null;
    inbuf += b.toString('utf8', 0, n);
  }
}
function send(o) {
  const s = Buffer.from(JSON.stringify(o) + '\n');
  let off = 0;
  while (off < s.length) {
    try { off += fs.writeSync(3, s, off); }
    catch (e) { if (e.code === 'EAGAIN') { sleep(1); continue; } throw e; }
  }
}
const short = (v, limit = 300) => {
  let s;
  try { s = util.inspect(v, { depth: 4, maxArrayLength: 30, maxStringLength: 200, breakLength: Infinity }); } catch (e) { s = '<unrepresentable>'; }
  return s.length <= limit ? s : s.slice(0, limit) + '... (' + s.length + ' chars)';
};
const errType = (e) => (e && e.constructor && e.constructor.name) || typeof e;
const errMsg = (e) => String(e && e.message !== undefined ? e.message : e).slice(0, 2000);
const errStack = (e) => String((e && e.stack) || '').split('\n').filter((l) => !l.includes('hotpath_harness')).join('\n').slice(0, 4000);

const fns = [];
const modules = [];
for (let i = 0; i < spec.targets.length; i++) {
  const t = spec.targets[i];
  const file = t.file || path.join(process.cwd(), '__source__.js');
  const mod = { exports: {} };
  try {
    const wrapper = vm.runInThisContext('(function (require, module, exports, __filename, __dirname) {' + t.code + '\n})', { filename: file });
    wrapper(Module.createRequire(file), mod, mod.exports, file, path.dirname(file));
  } catch (e) {
    send({ ev: 'error', where: 'load', target: i, type: errType(e), message: errMsg(e), traceback: errStack(e) });
    process.exit(0);
  }
  let fn = mod.exports.__hotpath_target;
  if (typeof fn !== 'function') {
    send({ ev: 'error', where: 'load', target: i, type: 'ReferenceError', message: t.name + ' is not a function', traceback: '' });
    process.exit(0);
  }
  if (t.isGenerator) fn = ((f) => (...a) => [...f(...a)])(fn);
  fns.push(fn);
  modules.push(mod.exports);
}
const anyAsync = spec.targets.some((t) => t.isAsync);

const inp = spec.input;
let generator = null;
if (inp.kind === 'generator') {
  generator = modules[inp.target].__hotpath_generator;
  if (typeof generator !== 'function') {
    send({ ev: 'error', where: 'load', target: inp.target, type: 'ReferenceError', message: 'input generator ' + inp.name + ' is not a function', traceback: '' });
    process.exit(0);
  }
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function makeRng(seed) {
  const random = mulberry32(seed);
  return { random, int: (lo, hi) => lo + Math.floor(random() * (hi - lo + 1)), pick: (xs) => xs[Math.floor(random() * xs.length)] };
}
const ALPHA = 'abcdefghijklmnopqrstuvwxyz';
function gen(t, n, rng, top) {
  const size = top ? n : 8;
  switch (t.k) {
    case 'int': return top ? n : Math.floor(rng.random() * (4 * Math.max(n, 1) + 10));
    case 'float': return top ? n : rng.random();
    case 'str': { let s = ''; for (let i = 0; i < size; i++) s += ALPHA[Math.floor(rng.random() * 26)]; return s; }
    case 'bool': return rng.random() < 0.5;
    case 'bytes': { const b = new Uint8Array(size); for (let i = 0; i < size; i++) b[i] = Math.floor(rng.random() * 256); return b; }
    case 'none': return null;
    case 'list': case 'vtuple': { const a = new Array(size); for (let i = 0; i < size; i++) a[i] = gen(t.of, n, rng, false); return a; }
    case 'tuple': return t.items.map((x) => gen(x, n, rng, top));
    case 'set': case 'frozenset': { const s = new Set(); for (let tries = 0; s.size < size && tries < 10 * size + 10; tries++) s.add(gen(t.of, n, rng, false)); return s; }
    case 'dict': { const o = {}; let count = 0; for (let tries = 0; count < size && tries < 10 * size + 10; tries++) { const k = String(gen(t.key, n, rng, false)); if (!(k in o)) count++; o[k] = gen(t.value, n, rng, false); } return o; }
    case 'map': { const m = new Map(); for (let tries = 0; m.size < size && tries < 10 * size + 10; tries++) m.set(gen(t.key, n, rng, false), gen(t.value, n, rng, false)); return m; }
  }
  throw new TypeError('unknown type ' + t.k);
}

let cacheKey = null, cacheArgs = null;
function makeArgs(n, seed) {
  const key = n + ':' + seed;
  if (key === cacheKey) return cacheArgs;
  const rng = makeRng((seed * 1000003 + n) >>> 0);
  let args;
  if (generator) {
    args = generator(n, rng);
    if (!Array.isArray(args)) throw new TypeError('the input generator must return an array of arguments');
  } else args = inp.types.map((t) => gen(t, n, rng, true));
  cacheKey = key; cacheArgs = args;
  return args;
}
const clone = (args) => structuredClone(args);

function same(x, y) {
  if (Object.is(x, y)) return true;
  if (typeof x === 'number' && typeof y === 'number') return (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) + 1e-12;
  if (typeof x !== typeof y || x === null || y === null || typeof x !== 'object') return false;
  // Classes of the two versions are different objects even for the same code: compare by name.
  const px = Object.getPrototypeOf(x), py = Object.getPrototypeOf(y);
  if (px !== py && (!px || !py || (px.constructor && px.constructor.name) !== (py.constructor && py.constructor.name))) return false;
  if (Array.isArray(x)) return x.length === y.length && x.every((v, i) => same(v, y[i]));
  if (ArrayBuffer.isView(x)) return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
  if (x instanceof Map) { if (x.size !== y.size) return false; for (const [k, v] of x) if (!y.has(k) || !same(v, y.get(k))) return false; return true; }
  if (x instanceof Set) { if (x.size !== y.size) return false; for (const v of x) if (!y.has(v)) return false; return true; }
  if (x instanceof Date) return x.getTime() === y.getTime();
  const kx = Object.keys(x), ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  return kx.every((k) => Object.prototype.hasOwnProperty.call(y, k) && same(x[k], y[k]));
}

// Results are consumed into a sink read at exit, so the JIT cannot drop the calls as dead code.
let sink;
const now = () => process.hrtime.bigint();
const seed0 = spec.seed || 1;

function callError(e, i, n, args) {
  send({ ev: 'error', where: 'call', target: i, n, type: errType(e), message: errMsg(e), traceback: errStack(e), input: short(args) });
}

async function main() {
  send({ ev: 'ready' });
  for (;;) {
    const line = readLine();
    if (line === null) break;
    const cmd = JSON.parse(line);
    if (cmd.op === 'exit') break;
    if (cmd.op === 'measure') {
      const i = cmd.target, n = cmd.n, fn = fns[i], isAsync = spec.targets[i].isAsync;
      let args;
      try { args = makeArgs(n, seed0); } catch (e) { send({ ev: 'error', where: 'generate', target: i, n, type: errType(e), message: errMsg(e), traceback: errStack(e) }); continue; }
      send({ ev: 'generated' });
      let a = clone(args);
      let t0, t1;
      try {
        t0 = now(); sink = isAsync ? await fn(...a) : fn(...a); t1 = now();
      } catch (e) { callError(e, i, n, args); continue; }
      let mutates;
      try { mutates = !same(a, args); } catch (e) { mutates = true; }
      const per = Math.max(Number(t1 - t0) / 1e9, 1e-9);
      send({ ev: 'probe', t: per, mutates });
      let batch = Math.max(1, Math.min(Math.floor(cmd.batchTime / per), 1000000));
      if (mutates) batch = Math.min(batch, Math.max(1, Math.floor(cmd.maxCopyElems / Math.max(n, 1))));
      const clock = cmd.clock === 'cpu' ? () => { const u = process.cpuUsage(); return BigInt(u.user + u.system) * 1000n; } : now;
      const runBatch = async () => {
        let s, e;
        if (mutates) {
          const clones = []; for (let j = 0; j < batch; j++) clones.push(clone(args));
          if (isAsync) { s = clock(); for (let j = 0; j < batch; j++) sink = await fn(...clones[j]); e = clock(); }
          else { s = clock(); for (let j = 0; j < batch; j++) sink = fn(...clones[j]); e = clock(); }
        } else if (isAsync) { s = clock(); for (let j = 0; j < batch; j++) sink = await fn(...args); e = clock(); }
        else { s = clock(); for (let j = 0; j < batch; j++) sink = fn(...args); e = clock(); }
        return Number(e - s) / 1e9 / batch;
      };
      const samples = [];
      try {
        const warmStart = Date.now();
        for (let w = 0; w < cmd.warmup; w++) await runBatch();
        // The JIT tiers up after some thousands of calls: warm up by time, not only by count.
        while ((Date.now() - warmStart) / 1000 < (cmd.warmupTime || 0)) await runBatch();
        const start = Date.now();
        // Keep sampling (up to 3x the size's time share) while the 95% CI of the median is wider
        // than +-3%: a stable estimate, not a fixed count.
        const unstable = () => {
          const k = samples.length;
          if (k < 10 || (Date.now() - start) / 1000 > 3 * cmd.pointTime) return false;
          const srt = [...samples].sort((a, b) => a - b);
          const half = 0.98 * Math.sqrt(k);
          const lo = Math.max(0, Math.floor(k / 2 - half)), hi = Math.min(k - 1, Math.ceil(k / 2 + half) - 1);
          const med = k % 2 ? srt[k >> 1] : (srt[k / 2 - 1] + srt[k / 2]) / 2;
          return med > 0 && (srt[hi] - srt[lo]) / 2 / med > 0.03;
        };
        while (samples.length < cmd.maxSamples && (samples.length < cmd.minSamples || (Date.now() - start) / 1000 < cmd.pointTime || unstable())) {
          const s = await runBatch();
          samples.push(s);
          send({ ev: 'sample', t: s });
        }
      } catch (e) { callError(e, i, n, args); continue; }
      send({ ev: 'done', samples, batch });
    } else if (cmd.op === 'check') {
      const n = cmd.n, seed = cmd.seed, [ia, ib] = cmd.targets;
      let args;
      try { args = makeArgs(n, seed); } catch (e) { send({ ev: 'error', where: 'generate', target: ia, n, type: errType(e), message: errMsg(e), traceback: errStack(e) }); continue; }
      const a1 = clone(args), a2 = clone(args);
      const run = async (k, a) => { try { const r = fns[k](...a); return [true, spec.targets[k].isAsync ? await r : r]; } catch (e) { return [false, e]; } };
      const [ok1, r1] = await run(ia, a1);
      const [ok2, r2] = await run(ib, a2);
      const show = (ok, r) => (ok ? 'returns ' + short(r) : 'throws ' + errType(r) + ': ' + errMsg(r).slice(0, 200));
      let diff = null;
      if (ok1 !== ok2 || (!ok1 && errType(r1) !== errType(r2))) diff = ['exception', show(ok1, r1), show(ok2, r2)];
      else if (ok1 && !same(r1, r2)) diff = ['return value', short(r1), short(r2)];
      else for (let j = 0; j < a1.length; j++) if (!same(a1[j], a2[j])) { diff = ['argument ' + j + ' after the call', short(a1[j]), short(a2[j])]; break; }
      if (diff) send({ ev: 'equiv', equal: false, what: diff[0], expected: diff[1], actual: diff[2], input: short(args) });
      else send({ ev: 'equiv', equal: true });
    } else {
      send({ ev: 'error', where: 'load', target: 0, type: 'Error', message: 'unsupported command ' + cmd.op + ' for JavaScript', traceback: '' });
    }
  }
  if (sink === main) process.stdout.write('');
}
main().then(() => process.exit(0), (e) => { try { send({ ev: 'error', where: 'harness', target: 0, type: errType(e), message: errMsg(e), traceback: errStack(e) }); } catch {} process.exit(1); });
`;
void 0;
