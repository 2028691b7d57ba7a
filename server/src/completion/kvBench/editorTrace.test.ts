// Editing sessions for kv-bench: the events replay to consistent documents, typing retypes the file's
// own lines, undo restores the text, and the requests carry the provider's prompts at the cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyChanges, DEFAULT_PLAN, diffAsChanges, generateTrace, mapOffset, parsePlan, traceRequests, type EditorEvent } from './editorTrace';

const FILE = readFileSync(join(__dirname, '..', 'provider.ts'), 'utf8');

test('applyChanges and mapOffset: several disjoint changes in the coordinates of the text before', () => {
  const changes = [
    { at: 1, del: 0, ins: 'XY' },
    { at: 4, del: 2, ins: '' },
    { at: 8, del: 1, ins: 'Z' },
  ];
  assert.equal(applyChanges('abcdefghij', changes), 'aXYbcdghZj');
  assert.equal(mapOffset(0, changes), 0);
  assert.equal(mapOffset(1, changes), 1, 'an insertion at the offset leaves it before the inserted text');
  assert.equal(mapOffset(2, changes), 4);
  assert.equal(mapOffset(5, changes), 6, 'an offset inside a deletion goes to its start');
  assert.equal(mapOffset(10, changes), 10);
  assert.deepEqual(diffAsChanges('hello world', 'hello brave world'), [{ at: 6, del: 0, ins: 'brave ' }]);
  assert.deepEqual(diffAsChanges('same', 'same'), []);
});

function replay(initial: string, events: EditorEvent[], check: (text: string, ev: EditorEvent, before: string) => void): string {
  let text = initial;
  for (const ev of events) {
    let end = -1;
    for (const c of ev.changes) {
      assert.ok(c.at >= end && c.at + c.del <= text.length, 'changes sorted, disjoint and inside the text');
      end = c.at + c.del;
    }
    const before = text;
    text = applyChanges(text, ev.changes);
    assert.ok(ev.cursor >= 0 && ev.cursor <= text.length, 'cursor inside the text');
    assert.ok(ev.gapMs > 0);
    check(text, ev, before);
  }
  return text;
}

test('typing retypes the lines taken out of the file, at the cursor, leaving the text after it alone', () => {
  const t = generateTrace(FILE, { seed: 5, episodes: 0, typedChars: 200 });
  assert.ok(t.initial.length < t.original.length);
  const end = replay(t.initial, t.events, () => undefined);
  const typedLen = t.original.length - t.initial.length;
  assert.ok(typedLen >= 200, 'enough lines were taken out');
  // about 200 characters (typos erased) typed at the cursor: the original up to there
  assert.ok(end.length - t.initial.length >= 200);
  const cursor = t.events[t.events.length - 1].cursor;
  assert.equal(end.slice(0, cursor), t.original.slice(0, cursor), 'what was typed is the file\'s own text');
  assert.equal(end.slice(cursor), t.initial.slice(cursor - (end.length - t.initial.length)), 'the text after the cursor is untouched');
});

test('every episode kind occurs, undo restores the text before the edit, multi-cursor edits several places at once', () => {
  const t = generateTrace(FILE, { seed: 11, episodes: 6, typedChars: 20 });
  const kinds = new Set(t.events.map((e) => e.episode));
  for (const k of ['typing', 'paste', 'paste-here', 'delete', 'multi-cursor', 'undo']) assert.ok(kinds.has(k as never), k);
  assert.ok(t.events.some((e) => e.episode === 'multi-cursor' && e.changes.length >= 2));
  const texts: string[] = [];
  let undos = 0;
  let previous: EditorEvent | undefined;
  replay(t.initial, t.events, (text, ev) => {
    if (ev.episode === 'undo' && previous?.episode !== 'undo') {
      // Ctrl+Z: back to the document before the edit it undoes
      assert.ok(ev.changes.length > 0 && texts.includes(text), 'undo returns to an earlier document');
      undos++;
    }
    texts.push(text);
    previous = ev;
  });
  assert.equal(undos, 2, 'a multi-cursor edit and a paste undone');
  const again = generateTrace(FILE, { seed: 11, episodes: 6, typedChars: 20 });
  assert.deepEqual(again.events, t.events, 'seeded');
});

test('requests: the prompt the provider builds at the cursor; repair only in pauses longer than the debounce plus repairAfterMs', () => {
  const t = generateTrace(FILE, { seed: 2, episodes: 3, typedChars: 30 });
  const { requests, durationMs, keystrokes } = traceRequests(t, { fim: undefined, path: 'session.ts', contextSize: 1024, repairAfterMs: 500, countTokens: (p) => Math.ceil(p.prefix.length / 3) });
  assert.ok(requests.length > 3 && requests.length < keystrokes, `${requests.length} requests for ${keystrokes} changes`);
  assert.ok(durationMs > 0);
  for (const r of requests) {
    assert.ok(r.text.slice(0, r.offset).endsWith(r.prompt.prefix), 'prefix-only prompt ends at the cursor');
    assert.ok(Math.ceil(r.prompt.prefix.length / 3) + 64 + 32 <= 1024, 'the prompt fits the context with the generation');
    // the debounce is clamped to [50, 600] ms
    if (r.repairs) assert.ok(r.pauseMs >= 550 && r.repairWindowMs <= r.pauseMs - 550 && r.repairWindowMs >= r.pauseMs - 1100, `${r.pauseMs} ${r.repairWindowMs}`);
    else assert.ok(r.pauseMs < 1100 && r.repairWindowMs === 0, `${r.pauseMs} ${r.repairWindowMs}`);
    assert.ok(r.continuation.startsWith(r.prompt.healed));
  }
  assert.ok(requests.some((r) => r.repairs) && requests.some((r) => !r.repairs));
  const none = traceRequests(t, { fim: undefined, path: 'session.ts', contextSize: 1024, repairAfterMs: 0, countTokens: (p) => Math.ceil(p.prefix.length / 3) });
  assert.ok(none.requests.every((r) => !r.repairs && r.repairWindowMs === 0));
});

test('far-edit: a rename of an identifier used far above the cursor, every occurrence at once, the cursor staying; plans', () => {
  assert.deepEqual(parsePlan('far-edit, multi-cursor+undo'), [['far-edit', false], ['multi-cursor', true]]);
  assert.throws(() => parsePlan('typing'), /not an episode of a plan/);
  assert.throws(() => parsePlan('paste+redo'), /not an episode of a plan/);
  // the first six episodes of the default plan are those of the round-2/3 sessions: unchanged by far-edit
  assert.deepEqual(generateTrace(FILE, { seed: 11, episodes: 6, typedChars: 20 }).events, generateTrace(FILE, { seed: 11, episodes: 6, typedChars: 20, plan: DEFAULT_PLAN.slice(0, 6) }).events);
  const windowChars = 6000;
  const t = generateTrace(FILE, { seed: 3, episodes: 2, typedChars: 20, plan: [['far-edit', false]], windowChars });
  let renames = 0;
  replay(t.initial, t.events, (text, ev, before) => {
    // the rename itself (the episode's key or two typed after it replace nothing)
    if (ev.episode !== 'far-edit' || !ev.changes.length || !ev.changes.every((c) => c.del > 0 && c.ins.length > 0)) return;
    renames++;
    const word = before.slice(ev.changes[0].at, ev.changes[0].at + ev.changes[0].del);
    assert.match(word, /^[A-Za-z_]\w+$/);
    assert.ok(ev.changes.every((c) => before.slice(c.at, c.at + c.del) === word && c.ins === ev.changes[0].ins), 'the same identifier, renamed the same everywhere');
    assert.equal(new RegExp(`\\b${word}\\b`).test(text), false, 'every occurrence renamed');
    const previousCursor = t.events[t.events.indexOf(ev) - 1].cursor;
    assert.equal(ev.cursor, mapOffset(previousCursor, ev.changes), 'the cursor stays where it was');
    const window = Math.min(previousCursor, windowChars);
    assert.ok(ev.changes.some((c) => c.at >= previousCursor - 0.6 * window && c.at < previousCursor - 0.35 * window), 'used between 35% and 60% of the window above the cursor');
  });
  assert.equal(renames, 2);
});

test('far-insert, far-delete (round 14): a line inserted or 2-8 lines deleted far above the cursor, the cursor staying; a plan that starts as another keeps its edits', () => {
  const windowChars = 6000;
  const plan = parsePlan('far-edit,far-insert,far-delete,far-insert,far-delete');
  const t = generateTrace(FILE, { seed: 7, episodes: 5, typedChars: 20, plan, windowChars });
  const kinds: string[] = [];
  replay(t.initial, t.events, (_text, ev, before) => {
    // the episode's edit: its first event (the key or two typed after it carry its name too)
    if ((ev.episode !== 'far-insert' && ev.episode !== 'far-delete') || t.events[t.events.indexOf(ev) - 1].episode === ev.episode) return;
    kinds.push(ev.episode);
    assert.equal(ev.changes.length, 1);
    const [c] = ev.changes;
    assert.ok(c.at === 0 || before[c.at - 1] === '\n', 'at a line start');
    const previousCursor = t.events[t.events.indexOf(ev) - 1].cursor;
    assert.equal(ev.cursor, mapOffset(previousCursor, ev.changes), 'the cursor stays where it was');
    const window = Math.min(previousCursor, windowChars);
    assert.ok(c.at >= previousCursor - 0.6 * window && c.at < previousCursor - 0.35 * window, 'between 35% and 60% of the window above the cursor');
    if (ev.episode === 'far-insert') {
      assert.equal(c.del, 0);
      assert.ok(c.ins.endsWith('\n') && c.ins.indexOf('\n') === c.ins.length - 1 && c.ins.trim().length > 8, 'one whole line');
    } else {
      assert.equal(c.ins, '');
      const lines = before.slice(c.at, c.at + c.del).split('\n').length - 1;
      assert.ok(lines >= 2 && lines <= 8 && before[c.at + c.del - 1] === '\n', `whole lines deleted: ${lines}`);
    }
  });
  assert.deepEqual(kinds, ['far-insert', 'far-delete', 'far-insert', 'far-delete']);
  // round 14's 8k run: round 12/13's three renames first, then the new kinds; the renames' events are unchanged
  const renames = generateTrace(FILE, { seed: 7, episodes: 1, typedChars: 20, plan: parsePlan('far-edit'), windowChars }).events;
  assert.deepEqual(t.events.slice(0, renames.length), renames);
});
