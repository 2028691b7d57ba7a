// Property tests of the LSP framing and message checks (fast-check): any chunking of valid frames
// gives back exactly the messages; frames whose Content-Length lies, garbage and bad headers between
// valid frames never cost the valid frames that follow them and never produce other messages;
// nothing throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { checkMessage, FrameParser, type FrameEvent } from './transport';

const RUNS = 300;

function frame(message: unknown, declared?: (n: number) => number): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const length = declared ? declared(body.length) : body.length;
  return Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'ascii'), body]);
}

/** Cut `bytes` into chunks at the given relative points. */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out.filter((c) => c.length > 0);
}

function feed(chunks: Buffer[]): FrameEvent[] {
  const parser = new FrameParser();
  return chunks.flatMap((c) => parser.push(c));
}

/** What a message is once it went through JSON (no -0, no null prototypes). */
const wire = (x: unknown) => JSON.parse(JSON.stringify(x));
const messages = (e: FrameEvent[]) => e.filter((x) => x.kind === 'message').map((x) => (x as { message: unknown }).message);

// JSON-RPC-ish messages with arbitrary (unicode, control-character) strings in them.
const message = fc.record({
  jsonrpc: fc.constant('2.0'),
  id: fc.integer({ min: 0, max: 1e6 }),
  method: fc.string(),
  params: fc.record({ text: fc.string({ unit: 'binary' }), n: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
});

type Corruption = 'longer' | 'shorter' | 'not-a-number' | 'no-length' | 'garbage';
const corruption = fc.constantFrom<Corruption>('longer', 'shorter', 'not-a-number', 'no-length', 'garbage');

function corrupt(kind: Corruption, m: unknown, garbage: Uint8Array): Buffer {
  switch (kind) {
    case 'longer':
      return frame(m, (n) => n + 1 + (garbage.length % 5000));
    case 'shorter':
      return frame(m, (n) => Math.max(0, n - 1 - (garbage.length % 10)));
    case 'not-a-number':
      return Buffer.concat([Buffer.from('Content-Length: 1e3\r\n\r\n'), Buffer.from(JSON.stringify(m))]);
    case 'no-length':
      return Buffer.concat([Buffer.from('Content-Type: application/json\r\n\r\n'), Buffer.from(JSON.stringify(m))]);
    case 'garbage':
      return Buffer.from(Buffer.from(garbage).toString('latin1').replace(/content-length/gi, 'x'), 'latin1');
  }
}

/** Whether `got` is `frames` in order with only optional frames left out. */
function deliverable(frames: { message: unknown; optional: boolean }[], got: unknown[]): boolean {
  // can[j]: got[j..] can still be matched by the frames after the current one.
  let can = got.map((_, j) => j === got.length);
  can.push(true);
  for (let i = frames.length - 1; i >= 0; i--) {
    const next = can.map((_, j) => (frames[i].optional && can[j]) || (j < got.length && isDeepStrictEqual(got[j], frames[i].message) && can[j + 1]));
    can = next;
  }
  return can[0];
}

describe('LSP framing', () => {
  it('returns exactly the messages of valid frames, however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }), (ms, cuts) => {
        const events = feed(chunked(Buffer.concat(ms.map((m) => frame(m))), cuts));
        assert.deepEqual(messages(events), ms.map(wire));
        assert.equal(events.length, ms.length, 'no problems reported');
      }),
      { numRuns: RUNS },
    );
  });

  it('delivers every intact frame that follows a corrupt one, and never throws', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(message, fc.option(corruption, { freq: 2 }), fc.uint8Array({ maxLength: 300 })), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        (frames, cuts) => {
          const bytes = Buffer.concat(frames.map(([m, c, g]) => (c ? corrupt(c, m, g) : frame(m))));
          const events = feed(chunked(bytes, cuts));
          const got = messages(events);
          // Each intact frame arrives, in order. A corrupt frame delivers nothing, or its own message
          // when what its length covered is still valid JSON (a length that also covered trailing
          // whitespace); never anything else. So `got` must be the frames' messages with only
          // (some of) the corrupt frames left out. Matched as a subsequence over all alignments:
          // a greedy match would give an intact frame's message to an identical corrupt one before it.
          assert.ok(deliverable(frames.map(([m, c]) => ({ message: wire(m), optional: c !== null })), got), `got ${JSON.stringify(got)} for ${JSON.stringify(frames.map(([m, c]) => [m, c]))}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('gives back the next header when a too-long body ends inside it and the rest comes later', () => {
    // fast-check seed 201114684: the body's length covered the "C" of the next header and the
    // chunk ended right there, so the header's rest was read as garbage and the frame was lost.
    const m = { jsonrpc: '2.0', method: 'initialized', params: {} };
    for (const extra of [1, 9, 16, 18]) {
      const bad = frame(m, (n) => n + extra);
      const good = frame(m);
      const cut = bad.length + extra; // the first chunk ends where the declared body ends
      const bytes = Buffer.concat([bad, good]);
      const events = feed([bytes.subarray(0, cut), bytes.subarray(cut)]);
      assert.deepEqual(messages(events), [m], `extra ${extra}`);
    }
  });

  it('owes an answer to a request whose frame was too long, and a Parse error for a cut body', () => {
    const req = { jsonrpc: '2.0', id: 7, method: 'textDocument/hover', params: {} };
    const events = feed([frame(req, (n) => n + 100), frame({ jsonrpc: '2.0', method: 'initialized', params: {} })]);
    const problem = events.find((e) => e.kind === 'problem') as Extract<FrameEvent, { kind: 'problem' }>;
    assert.deepEqual(problem.reply?.id, 7);
    assert.equal(problem.reply?.code, -32600);
    assert.equal(messages(events).length, 1);
    const cut = feed([frame(req, (n) => n - 3)]).find((e) => e.kind === 'problem') as Extract<FrameEvent, { kind: 'problem' }>;
    assert.deepEqual(cut.reply, { id: null, code: -32700, message: cut.reply!.message });
  });

  it('skips a message sent without a header as such, answers it, and reads the next frame (trial9 L20)', () => {
    // It used to say "Content-Length 38 is over the limit", naming the next frame's valid length.
    const next = { jsonrpc: '2.0', id: 0, result: null };
    const events = feed([Buffer.from('{"jsonrpc":"2.0","id":77,"method":"shutdown"}\r\n'), frame(next)]);
    const problem = events.find((e) => e.kind === 'problem') as Extract<FrameEvent, { kind: 'problem' }>;
    assert.match(problem.message, /^skipped 47 bytes without a Content-Length header before them/);
    assert.doesNotMatch(problem.message, /over the limit/);
    assert.deepEqual([problem.reply?.id, problem.reply?.code], [77, -32600]);
    assert.deepEqual(messages(events), [next]);
    // A header block with a line that is not a header, and no valid header after it, names that line.
    const odd = feed([Buffer.from('Content-Length: 2\r\nnot a header\r\n\r\n{}'), frame(next)]).find((e) => e.kind === 'problem') as Extract<FrameEvent, { kind: 'problem' }>;
    assert.match(odd.message, /a line that is not a header: "not a header"/);
  });

  it('joins a large body once, not once per chunk', () => {
    // A 4 MB didOpen arriving in 64 KB chunks: joining the buffer on every chunk copied it 64 times.
    const m = { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { text: 'x = 1\n'.repeat(700_000) } };
    const bytes = frame(m);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 64 * 1024) chunks.push(bytes.subarray(at, at + 64 * 1024));
    const concat = Buffer.concat;
    let copied = 0;
    Buffer.concat = ((list: readonly Uint8Array[], total?: number) => {
      const joined = concat(list, total);
      copied += joined.length;
      return joined;
    }) as typeof Buffer.concat;
    try {
      assert.deepEqual(messages(feed(chunks)), [m]);
    } finally {
      Buffer.concat = concat;
    }
    assert.ok(chunks.length > 60, `${chunks.length} chunks`);
    assert.ok(copied <= 2 * bytes.length, `copied ${copied} bytes for a ${bytes.length}-byte message`);
  });

  it('survives arbitrary bytes, then reads the next valid frame', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), message, (junk, m) => {
        const clean = Buffer.from(Buffer.from(junk).toString('latin1').replace(/content-length/gi, 'x'), 'latin1');
        // A junk tail that ends inside a header line would join the next header: end it.
        const events = feed([clean, Buffer.from('\r\n\r\n'), frame(m)]);
        assert.deepEqual(messages(events).slice(-1), [wire(m)]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('message checks', () => {
  it('passes requests, notifications and responses that are well formed', () => {
    assert.deepEqual(checkMessage({ jsonrpc: '2.0', id: 1, method: 'textDocument/hover', params: { textDocument: { uri: 'x' }, position: { line: 0, character: 3 } } }), { pass: true });
    assert.deepEqual(checkMessage({ jsonrpc: '2.0', id: 'a', method: 'shutdown' }), { pass: true });
    assert.deepEqual(checkMessage({ jsonrpc: '2.0', method: 'textDocument/didChange', params: {} }), { pass: true });
    assert.deepEqual(checkMessage({ jsonrpc: '2.0', id: 3, result: null }), { pass: true });
  });

  it('answers ids that are not strings or numbers, missing methods, non-objects and bad positions', () => {
    fc.assert(
      fc.property(fc.oneof(fc.object(), fc.array(fc.anything()), fc.boolean(), fc.constant(null), fc.constant(Number.NaN)), (id) => {
        const v = checkMessage({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: {} });
        assert.equal(v.pass, false);
        if (!v.pass) assert.deepEqual([v.reply?.id, v.reply?.code], [null, -32600]);
      }),
      { numRuns: RUNS },
    );
    for (const m of [[], 'x', 3, null, { jsonrpc: '2.0', id: 4 }]) assert.equal(checkMessage(m).pass, false);
    fc.assert(
      fc.property(fc.record({ line: fc.oneof(fc.double(), fc.integer({ max: -1 }), fc.string()), character: fc.integer({ min: 0 }) }), (position) => {
        const v = checkMessage({ jsonrpc: '2.0', id: 9, method: 'textDocument/hover', params: { position } });
        if (Number.isSafeInteger(position.line) && (position.line as number) >= 0) return;
        assert.equal(v.pass, false);
        if (!v.pass) assert.deepEqual([v.reply?.id, v.reply?.code], [9, -32602]);
      }),
      { numRuns: RUNS },
    );
  });
});
