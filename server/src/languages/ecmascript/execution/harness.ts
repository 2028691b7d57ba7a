// The Node side of the harness (JavaScript and TypeScript, both bundled to CommonJS by esbuild
// before they get here). Same protocol and the same integrity measures as the Python harness
// (see its header): one function per process, clocks captured before user code loads, an input
// of its own for every call, the module state a call changes (read through the
// `__hotpath_state` getter the bundle exports), a second call per checked input. JSON lines over
// fd 3, read and written synchronously so that progress messages leave while the function runs.
export const JS_HARNESS = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const util = require('util');
const crypto = require('crypto');
const Module = require('module');

// Clocks and what the harness relies on, captured before any user code is loaded.
const CLOCKS = {
  'process.hrtime': process.hrtime,
  'process.hrtime.bigint': process.hrtime.bigint,
  'process.cpuUsage': process.cpuUsage,
  'performance.now': globalThis.performance && globalThis.performance.now,
  'Date.now': Date.now,
};
const currentClock = (name) => name === 'process.hrtime' ? process.hrtime : name === 'process.hrtime.bigint' ? process.hrtime && process.hrtime.bigint : name === 'process.cpuUsage' ? process.cpuUsage : name === 'performance.now' ? globalThis.performance && globalThis.performance.now : Date.now;
const hrtime = process.hrtime.bigint;
const cpuUsage = process.cpuUsage.bind(process);
const dateNow = Date.now;
const GLOBALS = new Map(Object.getOwnPropertyNames(globalThis).map((k) => [k, Object.getOwnPropertyDescriptor(globalThis, k)]));
const stringify = JSON.stringify;
const parse = JSON.parse;

const spec = parse(fs.readFileSync(process.argv[2], 'utf8'));
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
const HARNESS_PID = process.pid;
function send(o) {
  if (process.pid !== HARNESS_PID) process.exit(0);
  const s = Buffer.from(stringify(o) + '\n');
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

function load(t) {
  const file = t.file || path.join(process.cwd(), '__source__.js');
  const mod = { exports: {} };
  try {
    const wrapper = vm.runInThisContext('(function (require, module, exports, __filename, __dirname) {' + t.code + '\n})', { filename: file });
    wrapper(Module.createRequire(file), mod, mod.exports, file, path.dirname(file));
  } catch (e) {
    send({ ev: 'error', where: 'load', type: errType(e), message: errMsg(e), traceback: errStack(e) });
    process.exit(0);
  }
  if (typeof mod.exports.__hotpath_target !== 'function') {
    send({ ev: 'error', where: 'load', type: 'ReferenceError', message: t.name + ' is not a function', traceback: '' });
    process.exit(0);
  }
  return mod.exports;
}

const inp = spec.input;
const generator = inp.kind === 'generator' ? load(inp.module).__hotpath_target : null;
const target = load(spec.target);
const isAsync = !!spec.target.isAsync;
let fn = target.__hotpath_target;
if (spec.target.isGenerator) fn = ((f) => (...a) => [...f(...a)])(fn);
const moduleState = typeof target.__hotpath_state === 'function' ? target.__hotpath_state : () => ({});

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
    case 'int': return top ? (t.position ? Math.floor(rng.random() * Math.max(n, 1)) : n) : Math.floor(rng.random() * (4 * Math.max(n, 1) + 10));
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
    case 'const': return t.value;
    case 'record': { const o = {}; for (const f of t.fields) o[f.name] = gen(f.type, n, rng, false); return o; }
    // A callback: deterministic, the same value for every call (made once, from the input's seed).
    case 'fn': { const value = gen(t.returns, n, rng, false); return t.async ? async () => value : () => value; }
  }
  throw new TypeError('unknown type ' + t.k);
}
const ATOMIC = new Set(['int', 'float', 'str', 'bool', 'none']);
// A deep copy that keeps functions (methods of a generated object, callbacks) and prototypes, where
// structuredClone refuses functions and drops classes.
function deepClone(v, seen = new Map()) {
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (ArrayBuffer.isView(v)) return v.slice();
  if (v instanceof Date) return new Date(v.getTime());
  let out;
  if (Array.isArray(v)) { out = new Array(v.length); seen.set(v, out); for (let i = 0; i < v.length; i++) out[i] = deepClone(v[i], seen); return out; }
  if (v instanceof Map) { out = new Map(); seen.set(v, out); for (const [a, b] of v) out.set(deepClone(a, seen), deepClone(b, seen)); return out; }
  if (v instanceof Set) { out = new Set(); seen.set(v, out); for (const x of v) out.add(deepClone(x, seen)); return out; }
  out = Object.create(Object.getPrototypeOf(v));
  seen.set(v, out);
  for (const k of Reflect.ownKeys(v)) { const d = Object.getOwnPropertyDescriptor(v, k); if ('value' in d) d.value = deepClone(d.value, seen); Object.defineProperty(out, k, d); }
  return out;
}
function cloner(t) {
  if (ATOMIC.has(t.k)) return (v) => v;
  if (t.k === 'bytes') return (v) => v.slice();
  if (t.k === 'list' || t.k === 'vtuple') { if (ATOMIC.has(t.of.k)) return (v) => v.slice(); const inner = cloner(t.of); return (v) => v.map(inner); }
  if (t.k === 'tuple') { const cs = t.items.map(cloner); return (v) => v.map((x, i) => cs[i](x)); }
  if (t.k === 'set' || t.k === 'frozenset') return (v) => new Set(v);
  if (t.k === 'map') { const inner = cloner(t.value); return (v) => new Map([...v].map(([a, b]) => [a, inner(b)])); }
  if (t.k === 'dict') { const inner = cloner(t.value); return (v) => { const o = {}; for (const k of Object.keys(v)) o[k] = inner(v[k]); return o; }; }
  if (t.k === 'const' || t.k === 'fn') return (v) => v;
  if (t.k === 'record') { const cs = t.fields.map((f) => [f.name, cloner(f.type)]); return (v) => { const o = {}; for (const [name, c] of cs) o[name] = c(v[name]); return o; }; }
  return deepClone;
}
// A copy that differs from the input and from the copies before it: three elements of a
// sequence (the first, the last, one at random) get new values, a set or a map one element.
// (Python also rotates sequences; here a copy of a large array costs more than most calls, so the
// copy is a plain slice: a memo keyed on another part of the input can still hit, and is caught
// when its stale results differ from the original's on the same inputs.)
function perturb(t, v, n, rng) {
  const at = (len) => Math.floor(rng.random() * len);
  switch (t.k) {
    case 'list': case 'vtuple': { if (!v.length) return v; const out = v.slice(); out[0] = gen(t.of, n, rng, false); out[out.length - 1] = gen(t.of, n, rng, false); out[at(out.length)] = gen(t.of, n, rng, false); return out; }
    case 'bytes': { if (!v.length) return v; const out = v.slice(); out[0] = Math.floor(rng.random() * 256); out[at(v.length)] = Math.floor(rng.random() * 256); return out; }
    case 'str': { if (!v.length) return v; const i = at(v.length); return ALPHA[at(26)] + v.slice(1, i) + (i > 0 ? ALPHA[at(26)] : '') + v.slice(i + 1); }
    case 'set': case 'frozenset': { if (!v.size) return v; v.delete(v.values().next().value); for (let i = 0; i < 20; i++) { const x = gen(t.of, n, rng, false); if (!v.has(x)) { v.add(x); break; } } return v; }
    case 'map': { if (v.size) v.set(v.keys().next().value, gen(t.value, n, rng, false)); return v; }
    case 'dict': { const k = Object.keys(v)[0]; if (k !== undefined) v[k] = gen(t.value, n, rng, false); return v; }
    case 'tuple': return v.map((x, i) => perturb(t.items[i], x, n, rng));
  }
  return v;
}
const argCloners = generator ? null : inp.types.map(cloner);
const scalarOnly = !generator && inp.types.every((t) => ['int', 'float', 'bool', 'none'].includes(t.k));
const cloneArgs = (args) => (argCloners ? args.map((a, i) => argCloners[i](a)) : deepClone(args));
function callGenerator(n, rng) {
  const args = generator(n, rng);
  if (!Array.isArray(args)) throw new TypeError('the input generator must return an array of arguments');
  return args;
}

// One parameter grown alone (inp.grow): the others are taken from the inputs made at the fixed
// size 'at' (the same seed for every n), so the sweep measures the growth in that one.
function grown(big, smallOf) {
  if (!inp.grow || big.length <= 1) return big;
  const small = smallOf(inp.grow.at);
  return big.map((a, j) => (j === inp.grow.index ? a : small[j]));
}
let cacheKey = null, cacheArgs = null;
function makeArgs(n, seed) {
  const key = n + ':' + seed;
  if (key === cacheKey) return cacheArgs;
  const made = (size) => {
    const rng = makeRng((seed * 1000003 + size) >>> 0);
    return generator ? callGenerator(size, rng) : inp.types.map((t) => gen(t, size, rng, true));
  };
  const args = grown(made(n), made);
  cacheKey = key; cacheArgs = args;
  return args;
}
function variant(args, n, seed, k) {
  const rng = makeRng((((seed * 1000003 + n) >>> 0) * 7919 + k) >>> 0);
  if (generator) return grown(callGenerator(n, rng), (size) => callGenerator(size, makeRng((((seed * 1000003 + size) >>> 0) * 7919 + k) >>> 0)));
  // Sequences of plain values are copied by perturb itself; anything else by its cloner first.
  return args.map((a, i) => { const t = inp.types[i]; const copied = (t.k === 'list' || t.k === 'vtuple' || t.k === 'bytes') && ATOMIC.has(t.k === 'bytes' ? 'int' : t.of.k); return perturb(t, copied ? a : argCloners[i](a), n, rng); });
}

// A canonical, JSON-ready description of a value; the server compares two of them.
function enc(v, budget, seen, rounded) {
  if (--budget.left < 0) return ['…'];
  if (v === null) return ['N'];
  switch (typeof v) {
    case 'undefined': return ['u'];
    case 'boolean': return ['b', v];
    // Rounded for digests: two versions may sum floats in another order.
    case 'number': return ['n', rounded && !Number.isInteger(v) ? v.toPrecision(9) : String(v)];
    case 'bigint': return ['I', String(v)];
    case 'string': return ['s', v];
    case 'symbol': return ['p', 'symbol', String(v.description)];
    case 'function': return ['p', 'function', v.name || '?'];
  }
  if (seen.has(v)) return ['@', seen.get(v)];
  seen.set(v, seen.size);
  const ctor = (() => { const p = Object.getPrototypeOf(v); return p === null ? 'null' : (p.constructor && p.constructor.name) || '?'; })();
  if (Array.isArray(v)) return ['l', Array.from(v, (x) => enc(x, budget, seen, rounded))];
  if (ArrayBuffer.isView(v)) return ['B', ctor, Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')];
  if (v instanceof Map) { const pairs = [...v].map(([a, b]) => [enc(a, budget, seen, rounded), enc(b, budget, seen, rounded)]); pairs.sort((x, y) => (stringify(x[0]) < stringify(y[0]) ? -1 : 1)); return ['d', pairs]; }
  if (v instanceof Set) { const items = [...v].map((x) => enc(x, budget, seen, rounded)); items.sort((x, y) => (stringify(x) < stringify(y) ? -1 : 1)); return ['S', items]; }
  if (v instanceof Date) return ['o', 'Date', ['n', String(v.getTime())]];
  if (v instanceof Error) return ['e', ctor, [['s', String(v.message)]]];
  if (v instanceof Promise) return ['p', 'Promise', ''];
  const keys = Object.keys(v).sort();
  return ['o', ctor, ['d', keys.map((k) => [['s', k], enc(v[k], budget, seen, rounded)])]];
}
const encode = (v) => enc(v, { left: 200000 }, new Map());
// Canonical like encode() with numbers rounded to 9 digits, and a fast path for flat arrays of plain values.
const PLAIN = new Set(['number', 'string', 'boolean']);
// Whether a call changed its arguments (the mutation probe): element by element for flat arrays,
// by canonical encoding otherwise.
function mutated(a, b) {
  if (a.length !== b.length) return true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Array.isArray(x) && Array.isArray(y) && x.every((v) => v === null || typeof v !== 'object') && y.length === x.length) { for (let j = 0; j < x.length; j++) if (!Object.is(x[j], y[j])) return true; continue; }
    if (x === null || typeof x !== 'object') { if (!Object.is(x, y)) return true; continue; }
    if (stringify(encode(x)) !== stringify(encode(y))) return true;
  }
  return false;
}
const resultDigest = (v) => crypto.createHash('sha256').update(Array.isArray(v) && v.every((x) => x === null || PLAIN.has(typeof x))
  ? 'a' + stringify(v.map((x) => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toPrecision(9)) : x)))
  : stringify(enc(v, { left: 200000 }, new Map(), true))).digest('hex').slice(0, 16);

// What a call could change outside its arguments: the module's top-level bindings (functions
// with their own properties) and properties of the global object added or replaced.
function state() {
  const out = {};
  let values;
  try { values = moduleState(); } catch (e) { values = {}; }
  for (const name of Object.keys(values)) {
    const v = values[name];
    const shown = typeof v === 'function' ? Object.fromEntries(Object.keys(v).map((k) => [k, v[k]])) : v;
    out[name] = stringify(enc(shown, { left: 50000 }, new Map()));
  }
  for (const k of Object.getOwnPropertyNames(globalThis)) {
    const now = Object.getOwnPropertyDescriptor(globalThis, k);
    const was = GLOBALS.get(k);
    if (!was || (('value' in was) && was.value !== now.value) || was.get !== now.get) out['globalThis.' + k] = stringify(['p', 'replaced', short(now.value, 200)]);
  }
  return out;
}
function changed(before, after) {
  const out = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[name] !== after[name]) out[name] = name in after ? parse(after[name]) : ['p', 'deleted', ''];
  }
  return out;
}
const tampered = () => Object.keys(CLOCKS).filter((k) => CLOCKS[k] !== currentClock(k));

// Results are consumed into a sink read at exit, so the JIT cannot drop the calls as dead code.
let sink;
const seed0 = spec.seed || 1;
const cpuNs = () => { const u = cpuUsage(); return BigInt(u.user + u.system) * 1000n; };

function callError(e, n, args) {
  send({ ev: 'error', where: 'call', n, type: errType(e), message: errMsg(e), traceback: errStack(e), input: short(args) });
}
function genError(e, n) {
  send({ ev: 'error', where: 'generate', n, type: errType(e), message: errMsg(e), traceback: errStack(e) });
}

async function main() {
  send({ ev: 'ready', pid: process.pid });
  for (;;) {
    const line = readLine();
    if (line === null) break;
    const cmd = parse(line);
    if (cmd.op === 'exit') break;
    if (cmd.op === 'measure') {
      const n = cmd.n;
      const cpu0 = cpuNs(), wall0 = hrtime();
      let args, d, a, prep, pristine;
      let calls = 0, shared = false;
      try {
        // The input's digest, compared across versions in a compare (each argument the cheap way
        // when it is a flat array).
        args = makeArgs(n, seed0); d = cmd.freshInputs === 'call' ? args.map(resultDigest).join('|') : '';
        // What making one input costs: the least of three (the first is cold).
        for (const k of [3, 2, 1]) { const p0 = hrtime(); a = variant(args, n, seed0, k); const took = Math.max(Number(hrtime() - p0) / 1e9, 1e-9); prep = prep === undefined ? took : Math.min(prep, took); }
        pristine = cloneArgs(a);
      } catch (e) { genError(e, n); continue; }
      send({ ev: 'generated', input: d });
      let t0, t1;
      const checks = {};
      try {
        t0 = hrtime(); sink = isAsync ? await fn(...a) : fn(...a); t1 = hrtime();
        checks['1:1'] = resultDigest(sink);
      } catch (e) { callError(e, n, a); continue; }
      calls = 1;
      const per = Math.max(Number(t1 - t0) / 1e9, 1e-9);
      let mutates;
      try { mutates = mutated(a, pristine); } catch (e) { mutates = true; }
      send({ ev: 'probe', t: per, mutates });
      // Calls per sample: about batchTime of calls. Every call gets an input of its own (variant k
      // for call k), made in about batchTime, at most maxCopyElems input elements held at once --
      // unless the function does not mutate its input and a call costs less than making one: then
      // the calls of a sample share one fresh input (timing a lone call would measure the clock,
      // and a memo saves less than a call costs).
      // (A plain benchmark asks for one fresh input per sample: freshInputs === 'sample'.)
      const calibrate = (perCall) => {
        const b = Math.max(1, Math.min(Math.floor(cmd.batchTime / perCall), 1000000));
        shared = !mutates && (perCall < prep || cmd.freshInputs === 'sample');
        return shared ? b : Math.max(1, Math.min(b, Math.floor(cmd.batchTime / prep), Math.floor(cmd.maxCopyElems / (scalarOnly ? 1 : Math.max(n, 1)))));
      };
      let batch = calibrate(per);
      const clock = cmd.clock === 'cpu' ? cpuNs : hrtime;
      const runBatch = async (keep) => {
        const k0 = calls + 1;
        const inputs = new Array(batch);
        const results = new Array(batch);
        // Making the copy evicted the runtime's own data from the caches: one untimed call brings
        // it back (the timed calls share this input anyway).
        if (shared) { const one = variant(args, n, seed0, k0); inputs.fill(one); sink = isAsync ? await fn(...one) : fn(...one); }
        else for (let j = 0; j < batch; j++) inputs[j] = variant(args, n, seed0, k0 + j);
        calls += batch;
        let s, e;
        if (keep) {
          if (isAsync) { s = clock(); for (let j = 0; j < batch; j++) results[j] = await fn(...inputs[j]); e = clock(); }
          else { s = clock(); for (let j = 0; j < batch; j++) results[j] = fn(...inputs[j]); e = clock(); }
          // Warm-up batches keep their results: those of calls 1, 2, 4, 8, ... go to the server
          // with the input they got ("call:variant"), which compares them with the other
          // version's on the same input.
          for (let j = 0; j < batch; j++) { const k = k0 + j; if ((k & (k - 1)) === 0) checks[k + ':' + (shared ? k0 : k)] = resultDigest(results[j]); }
        } else if (isAsync) { s = clock(); for (let j = 0; j < batch; j++) sink = await fn(...inputs[j]); e = clock(); }
        // Timed samples keep only the last result (kept results would change what allocating costs).
        else { s = clock(); for (let j = 0; j < batch; j++) sink = fn(...inputs[j]); e = clock(); }
        if (keep) sink = results[batch - 1];
        return Number(e - s) / 1e9 / batch;
      };
      const samples = [];
      try {
        const warmStart = dateNow();
        // The probe is one cold call: a warm batch tells the cost of a call better.
        for (let w = 0; w < cmd.warmup; w++) batch = calibrate(Math.min(per, Math.max(await runBatch(true), 1e-9)));
        // The JIT tiers up after some thousands of calls: warm up by time, not only by count.
        while ((dateNow() - warmStart) / 1000 < (cmd.warmupTime || 0)) await runBatch(true);
        let start = dateNow();
        // Keep sampling (up to 3x the size's time share) while the 95% CI of the median is wider
        // than +-3%: a stable estimate, not a fixed count.
        const unstable = () => {
          const k = samples.length;
          if (k < 10 || (dateNow() - start) / 1000 > 3 * cmd.pointTime) return false;
          const srt = [...samples].sort((x, y) => x - y);
          const half = 0.98 * Math.sqrt(k);
          const lo = Math.max(0, Math.floor(k / 2 - half)), hi = Math.min(k - 1, Math.ceil(k / 2 + half) - 1);
          const med = k % 2 ? srt[k >> 1] : (srt[k / 2 - 1] + srt[k / 2]) / 2;
          return med > 0 && (srt[hi] - srt[lo]) / 2 / med > 0.03;
        };
        while (samples.length < cmd.maxSamples && (samples.length < cmd.minSamples || (dateNow() - start) / 1000 < cmd.pointTime || unstable())) {
          const s = await runBatch(false);
          samples.push(s);
          send({ ev: 'sample', t: s });
          if (cmd.lockstep) {
            // A compare takes the two versions' samples in turn: wait for ours (the wait is not our time).
            const paused = dateNow();
            const next = readLine();
            if (next === null || parse(next).op !== 'next') break;
            start += dateNow() - paused;
          }
        }
      } catch (e) { callError(e, n, args); continue; }
      send({ ev: 'done', samples, batch, prep, cpu: Number(cpuNs() - cpu0) / 1e9, wall: Number(hrtime() - wall0) / 1e9, checks, tampered: tampered() });
    } else if (cmd.op === 'run') {
      const n = cmd.n, seed = cmd.seed;
      let args, d;
      try { args = makeArgs(n, seed); d = args.map(resultDigest).join('|'); } catch (e) { genError(e, n); continue; }
      const outcome = async () => {
        const a = cloneArgs(args);
        let r;
        try { const v = fn(...a); r = ['r', encode(isAsync ? await v : v)]; } catch (e) { r = ['x', errType(e), errMsg(e).slice(0, 200)]; }
        return [r, encode(a)];
      };
      try {
        const before = state();
        const [r1, a1] = await outcome();
        const after = state();
        const [r2, a2] = await outcome();
        const same = stringify([r1, a1]) === stringify([r2, a2]);
        send({ ev: 'ran', input: d, inputRepr: short(args), result: r1, args: a1, changed: changed(before, after), deterministic: same, second: same ? null : r2, tampered: tampered() });
      } catch (e) { send({ ev: 'error', where: 'harness', n, type: errType(e), message: errMsg(e), traceback: errStack(e) }); }
    } else {
      send({ ev: 'error', where: 'load', type: 'Error', message: 'unsupported command ' + cmd.op + ' for JavaScript', traceback: '' });
    }
  }
  if (sink === main) process.stdout.write('');
}
main().then(() => process.exit(0), (e) => { try { send({ ev: 'error', where: 'harness', type: errType(e), message: errMsg(e), traceback: errStack(e) }); } catch {} process.exit(1); });
`;
