// Seeded editing sessions for `hotpath kv-bench`: what a user does to a file, event by event, with
// the time between events, and the completion requests the editor sends along the way.
//
// A session starts with the lines the user is about to write taken out of the file (the cursor at
// their place, about 3/4 into the file). Episodes then alternate:
//   typing        the lines are typed back key by key (Enter brings the next line's indentation, as
//                 the editor's auto-indent does; a few typos are corrected with Backspace);
//   paste         a block copied from elsewhere in the file is pasted on a line above the cursor,
//                 then the user clicks back and types on;
//   paste-here    the same block pasted at the cursor;
//   delete        a few lines above the cursor are selected and deleted, then back to typing;
//   multi-cursor  an identifier is selected at its last few occurrences above the cursor (Ctrl+D:
//                 the primary cursor is the lowest one) and retyped key by key at all of them;
//   undo          a multi-cursor edit or a paste undone in one step right after it was made (the
//                 cursor goes to the edit), then back to typing;
//   far-edit      a rename (F2: every occurrence in the file in one edit, the cursor stays) of an
//                 identifier used between 35% and 60% of the window above the cursor: the edit the
//                 default strategy shifts (its stale cells are more than a quarter of the prompt).
//                 Not in the first six episodes of the default plan; TraceOptions.plan puts it first.
//   far-insert    a line copied from elsewhere in the file inserted at a line start in the same band
//   far-delete    2-8 whole lines deleted from a line start in that band (round 14): like far-edit,
//                 made without moving the cursor (in a second view of the file, or by a tool), so
//                 the request after it is at the typing place.
// Timing: inter-key intervals are log-normal (median 180 ms, mean about 210 ms: ordinary typing;
// Dhakal et al., CHI 2018, report a 239 ms mean over 168,000 typists), with longer pauses after a
// line (median 1.5 s), after some words (median 0.7 s) and after each non-typing edit (median 2 s).
//
// The editor asks for a completion after a document change when the next change comes later than
// the adaptive debounce (completion/latency.ts, with the provider's settings); the prompt is what
// the completion provider builds at that cursor (completion/prompt.ts: its window, its budget for the
// session's context, token healing; prefix-only for a model without FIM tokens). The KV cache may
// repair in the background when the pause after a request is longer than the debounce plus
// `repairAfterMs` (the provider starts repair that long after a completion).
import type { FimInfo } from '../../model/engine';
import { rng } from '../../execution/stats';
import { AdaptiveDebounce } from '../latency';
import { buildPrompt, nextCharsPerToken, promptBudget, promptTokensFor, type BuiltPrompt, type WindowState } from '../prompt';

export type Episode = 'typing' | 'paste' | 'paste-here' | 'delete' | 'multi-cursor' | 'undo' | 'far-edit' | 'far-insert' | 'far-delete';
export const EPISODES: readonly Episode[] = ['typing', 'paste', 'paste-here', 'delete', 'multi-cursor', 'undo', 'far-edit', 'far-insert', 'far-delete'];
/** The edits between 35% and 60% of the window above the cursor, made without moving it. */
export const FAR_EPISODES: readonly Episode[] = ['far-edit', 'far-insert', 'far-delete'];
/** An episode of a plan: an edit kind, undone straight after ("+undo") or not. */
export type PlanStep = [Exclude<Episode, 'typing' | 'undo'>, boolean];
/** One of each kind, then again (the sessions of rounds 2 and 3 use the first six), then a far edit. */
export const DEFAULT_PLAN: readonly PlanStep[] = [
  ['paste', false],
  ['multi-cursor', false],
  ['multi-cursor', true],
  ['delete', false],
  ['paste-here', false],
  ['paste', true],
  ['far-edit', false],
];

/** A plan from its text: kinds separated by commas, "+undo" for one undone straight after ("far-edit,multi-cursor+undo"). */
export function parsePlan(text: string): PlanStep[] {
  return text.split(',').map((item) => {
    const [kind, undo] = item.trim().split('+');
    if (!EPISODES.includes(kind as Episode) || kind === 'typing' || kind === 'undo' || (undo !== undefined && undo !== 'undo')) throw new Error(`not an episode of a plan: ${item} (kinds: ${EPISODES.filter((e) => e !== 'typing' && e !== 'undo').join(', ')}; add +undo to undo one)`);
    return [kind as PlanStep[0], undo === 'undo'];
  });
}

/** Replace text[at, at + del) by ins. Changes of one event are sorted and disjoint, in the
 *  coordinates of the text before the event. */
export interface Change {
  at: number;
  del: number;
  ins: string;
}

export interface EditorEvent {
  episode: Episode;
  /** Empty for a cursor move (a click). */
  changes: Change[];
  /** The primary cursor after the event. */
  cursor: number;
  /** Milliseconds until the next event. */
  gapMs: number;
}

export interface TraceOptions {
  seed: number;
  /** Non-typing episodes, each followed by a typing episode (default 6: paste, multi-cursor, multi-cursor
   *  undone, delete, paste-here, paste undone). */
  episodes?: number;
  /** Characters typed per typing episode (default 60). */
  typedChars?: number;
  /** Where the cursor starts, as a fraction of the file (default 0.75). */
  cursorAt?: number;
  /** The episodes in order, repeated (default DEFAULT_PLAN). */
  plan?: readonly PlanStep[];
  /** Characters of the prompt's window above the cursor (far-edit's distances; default: the whole text above it). */
  windowChars?: number;
}

/** Log-normal sample with this median and log-space standard deviation, capped. */
function logNormal(rand: () => number, median: number, sigma: number, cap = 20_000): number {
  const u = Math.max(1e-12, rand());
  const v = rand();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(cap, Math.round(median * Math.exp(sigma * z)));
}

export function applyChanges(text: string, changes: readonly Change[]): string {
  let out = '';
  let at = 0;
  for (const c of changes) {
    out += text.slice(at, c.at) + c.ins;
    at = c.at + c.del;
  }
  return out + text.slice(at);
}

/** Where an offset moves to when the changes are applied (an offset inside a deletion goes to its start). */
export function mapOffset(offset: number, changes: readonly Change[]): number {
  let delta = 0;
  for (const c of changes) {
    if (c.at + c.del <= offset && !(c.del === 0 && c.at === offset)) delta += c.ins.length - c.del;
    else if (c.at < offset) return c.at + delta + c.ins.length;
    else break;
  }
  return offset + delta;
}

function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Start offsets of the lines in [from, to). */
function lineStarts(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  for (let at = lineStartAt(text, from); at < to; at = lineEndAfter(text, at)) {
    if (at >= from) out.push(at);
    if (lineEndAfter(text, at) === at) break;
  }
  return out;
}

export interface GeneratedTrace {
  /** The document when the session starts (the lines to be typed taken out). */
  initial: string;
  /** The original file: what the document becomes once everything is typed back. */
  original: string;
  events: EditorEvent[];
}

/** A seeded editing session on `file` (see the header). */
export function generateTrace(file: string, o: TraceOptions): GeneratedTrace {
  const rand = rng(o.seed);
  const episodes = o.episodes ?? 6;
  const typedChars = o.typedChars ?? 60;
  const text0 = file.replace(/\r\n?/g, '\n');
  // The lines to type back: from a line start near cursorAt, enough lines for every typing episode.
  const start = lineStartAt(text0, Math.floor(text0.length * (o.cursorAt ?? 0.75)));
  let end = start;
  const want = (typedChars + 4) * (episodes + 1);
  while (end < text0.length && end - start < want) end = lineEndAfter(text0, end);
  const toType = text0.slice(start, end);
  let text = text0.slice(0, start) + text0.slice(end);
  const initial = text;
  let cursor = start;
  let typed = 0; // characters of toType typed so far
  const events: EditorEvent[] = [];
  const push = (episode: Episode, changes: Change[], next: number, gapMs: number) => {
    text = applyChanges(text, changes);
    cursor = next;
    events.push({ episode, changes, cursor, gapMs });
  };
  const keyGap = () => logNormal(rand, 180, 0.45, 2000);

  /** Type `n` characters of toType at the cursor, as `episode`. */
  const type = (episode: Episode, n: number) => {
    const stop = Math.min(toType.length, typed + n);
    while (typed < stop) {
      const ch = toType[typed];
      if (ch === '\n') {
        // Enter: the editor inserts the newline and the next line's indentation
        let j = typed + 1;
        while (j < toType.length && (toType[j] === ' ' || toType[j] === '\t')) j++;
        const ins = toType.slice(typed, j);
        push(episode, [{ at: cursor, del: 0, ins }], cursor + ins.length, logNormal(rand, 1500, 0.8));
        typed = j;
        continue;
      }
      if (/[A-Za-z]/.test(ch) && rand() < 0.03) {
        // a typo, noticed and erased
        const wrong = String.fromCharCode(97 + Math.floor(rand() * 26));
        push(episode, [{ at: cursor, del: 0, ins: wrong }], cursor + 1, logNormal(rand, 350, 0.5, 3000));
        push(episode, [{ at: cursor - 1, del: 1, ins: '' }], cursor - 1, keyGap());
      }
      const wordEnd = /[\s(),:.;=]/.test(ch);
      const gap = wordEnd && rand() < 0.15 ? logNormal(rand, 700, 0.8) : keyGap();
      push(episode, [{ at: cursor, del: 0, ins: ch }], cursor + 1, gap);
      typed++;
    }
  };

  /** A line start above the cursor, at least `minBack` characters above it (or undefined). */
  const lineAbove = (minBack: number, maxBack: number): number | undefined => {
    const from = Math.max(0, cursor - maxBack);
    const to = cursor - minBack;
    if (to <= from) return undefined;
    const starts = lineStarts(text, from, to);
    return starts.length ? starts[Math.floor(rand() * starts.length)] : undefined;
  };

  /** A block of 3-12 whole lines from elsewhere in the file (not empty). */
  const block = (): string => {
    for (let tries = 0; tries < 20; tries++) {
      const at = lineStartAt(text, Math.floor(rand() * text.length));
      let e = at;
      for (let k = 3 + Math.floor(rand() * 10); k > 0 && e < text.length; k--) e = lineEndAfter(text, e);
      const b = text.slice(at, e);
      if (b.trim().length > 20 && b.endsWith('\n')) return b;
    }
    return 'x = 1\n';
  };

  const plan = o.plan?.length ? o.plan : DEFAULT_PLAN;
  type('typing', typedChars);
  for (let e = 0; e < episodes; e++) {
    const [kind, undo] = plan[e % plan.length];
    const typingAt = cursor;
    const before = text;
    let edit: { changes: Change[]; cursorBefore: number } | undefined;
    if (kind === 'paste' || kind === 'delete') {
      const at = lineAbove(200, 6000);
      if (at === undefined) continue;
      push(kind, [], at, logNormal(rand, 800, 0.5));
      let changes: Change[];
      let next: number;
      if (kind === 'paste') {
        const b = block();
        changes = [{ at, del: 0, ins: b }];
        next = at + b.length;
      } else {
        let end = at;
        for (let k = 2 + Math.floor(rand() * 7); k > 0 && end < typingAt; k--) end = lineEndAfter(text, end);
        changes = [{ at, del: end - at, ins: '' }];
        next = at;
      }
      push(kind, changes, next, logNormal(rand, 2000, 0.6));
      edit = { changes, cursorBefore: at };
    } else if (kind === 'paste-here') {
      const b = block();
      const changes = [{ at: cursor, del: 0, ins: b }];
      push(kind, changes, cursor + b.length, logNormal(rand, 2000, 0.6));
      edit = { changes, cursorBefore: typingAt };
    } else if (FAR_EPISODES.includes(kind)) {
      // The band between 35% and 60% of the window above the cursor (the window is at most the cursor, so from ≥ 0).
      const window = Math.min(cursor, o.windowChars ?? cursor);
      const from = cursor - Math.floor(0.6 * window);
      const to = cursor - Math.floor(0.35 * window);
      let changes: Change[];
      if (kind === 'far-edit') {
        const r = farRename(text, from, to, rand);
        if (!r) continue;
        changes = r.changes;
      } else {
        const starts = to > from ? lineStarts(text, from, to) : [];
        if (starts.length === 0) continue;
        const at = starts[Math.floor(rand() * starts.length)];
        if (kind === 'far-insert') {
          changes = [{ at, del: 0, ins: oneLine(text, rand) }];
        } else {
          let end = at;
          for (let k = 2 + Math.floor(rand() * 7); k > 0 && end < typingAt; k--) end = lineEndAfter(text, end);
          changes = [{ at, del: end - at, ins: '' }];
        }
      }
      push(kind, changes, mapOffset(cursor, changes), logNormal(rand, 1500, 0.5));
      edit = { changes, cursorBefore: typingAt };
    } else {
      const m = multiCursor(text, cursor, rand);
      if (!m) continue;
      push(kind, [], m.sites[m.sites.length - 1] + m.word.length, logNormal(rand, 1500, 0.5));
      // delete the selected word at every site, then type the new name key by key at all of them
      let sites = m.sites.map((at, i) => at - m.word.length * i);
      push(kind, m.sites.map((at) => ({ at, del: m.word.length, ins: '' })), sites[sites.length - 1], keyGap());
      for (let i = 0; i < m.name.length; i++) {
        const changes = sites.map((at) => ({ at, del: 0, ins: m.name[i] }));
        sites = sites.map((at, k) => at + k + 1);
        push(kind, changes, sites[sites.length - 1], i === m.name.length - 1 ? logNormal(rand, 2000, 0.6) : keyGap());
      }
      edit = { changes: diffAsChanges(before, text), cursorBefore: m.sites[m.sites.length - 1] + m.word.length };
    }
    let back = mapOffset(typingAt, edit.changes);
    if (undo) {
      // Ctrl+Z straight after the edit: the text as it was, the cursor at the edit
      const changes = diffAsChanges(text, before);
      push('undo', changes, edit.cursorBefore, logNormal(rand, 1500, 0.6));
      back = typingAt;
    }
    if ((kind !== 'paste-here' && !FAR_EPISODES.includes(kind)) || undo) {
      // click back to the typing place and type a key or two there (still this episode's cost)
      push(undo ? 'undo' : kind, [], back, logNormal(rand, 600, 0.5));
    }
    type(undo ? 'undo' : kind, 1 + Math.floor(rand() * 2));
    type('typing', typedChars);
  }
  return { initial, original: text0, events };
}

/** A non-empty whole line of `text` (with its newline), drawn at random. */
function oneLine(text: string, rand: () => number): string {
  for (let tries = 0; tries < 20; tries++) {
    const at = lineStartAt(text, Math.floor(rand() * text.length));
    const line = text.slice(at, lineEndAfter(text, at));
    if (line.trim().length > 8 && line.endsWith('\n')) return line;
  }
  return 'x = 1\n';
}

/** A rename of an identifier used in [from, to) (not a keyword): every occurrence in the file
 *  becomes another identifier of the file, as one edit (the rename's workspace edit). */
function farRename(text: string, from: number, to: number, rand: () => number): { changes: Change[] } | undefined {
  if (to <= from) return undefined;
  const band = new Set<string>();
  for (const m of text.slice(from, to).matchAll(/\b[A-Za-z_][A-Za-z0-9_]{2,}\b/g)) if (!KEYWORD.test(m[0])) band.add(m[0]);
  const words = [...band].sort();
  if (words.length === 0) return undefined;
  const word = words[Math.floor(rand() * words.length)];
  const others = words.filter((w) => w !== word && w.length <= 12);
  const name = others.length ? `${word}_${others[Math.floor(rand() * others.length)]}` : `${word}2`;
  const changes: Change[] = [];
  for (const m of text.matchAll(new RegExp(`\\b${word}\\b`, 'g'))) changes.push({ at: m.index!, del: word.length, ins: name });
  return { changes };
}

const KEYWORD = /^(self|this|def|return|const|await|async|function|import|from|None|True|False|class|for|let|var|new|if|else|elif|while|and|not|or|in|is|with|try|except|raise|pass|yield|lambda|export|typeof|null|undefined|true|false|break|continue|switch|case|default)$/;

/** The identifier retyped in a multi-cursor episode: a word with 2-4 occurrences above the cursor
 *  (within the last 3000 characters), and the new name (another identifier of the file). */
function multiCursor(text: string, cursor: number, rand: () => number): { word: string; sites: number[]; name: string } | undefined {
  const from = Math.max(0, cursor - 3000);
  const window = text.slice(from, cursor);
  const counts = new Map<string, number[]>();
  for (const m of window.matchAll(/\b[A-Za-z_][A-Za-z0-9_]{2,}\b/g)) {
    const list = counts.get(m[0]) ?? [];
    list.push(from + m.index!);
    counts.set(m[0], list);
  }
  const candidates = [...counts.entries()].filter(([w, l]) => l.length >= 2 && !/^(self|this|def|return|const|await|async|function|import|from|None|True|False|class|for|let|var|new)$/.test(w));
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const [word, all] = candidates[Math.floor(rand() * candidates.length)];
  const sites = all.slice(-Math.min(all.length, 2 + Math.floor(rand() * 3)));
  const names = [...counts.keys()].filter((w) => w !== word && w.length >= 3 && w.length <= 14);
  const name = names.length ? names[Math.floor(rand() * names.length)] : word + '2';
  return { word, sites, name };
}

/** The changes that turn a into b, as one change covering the differing middle. */
export function diffAsChanges(a: string, b: string): Change[] {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  if (p === a.length && p === b.length) return [];
  return [{ at: p, del: a.length - p - s, ins: b.slice(p, b.length - s) }];
}

export interface TraceRequest {
  /** Index of the request in the session. */
  index: number;
  episode: Episode;
  /** The document and the cursor when the editor asked. */
  text: string;
  offset: number;
  prompt: BuiltPrompt;
  /** The document text after the cursor (what the user goes on to have there), for teacher forcing. */
  continuation: string;
  /** Milliseconds from the start of the session to the request's document change, and from it to the next event. */
  atMs: number;
  pauseMs: number;
  /** The pause lets the KV cache repair in the background (longer than the debounce plus repairAfterMs). */
  repairs: boolean;
  /** Milliseconds repair may run in that pause (the pause less the debounce and repairAfterMs; 0 when it may not). */
  repairWindowMs: number;
  /** Events (keystrokes, clicks) since the previous request. */
  events: number;
}

export interface RequestOptions {
  fim: FimInfo | undefined;
  path: string;
  contextSize: number;
  /** Completion settings that shape the requests (completion/provider.ts defaults). */
  maxTokens?: number;
  debounceMinMs?: number;
  debounceMaxMs?: number;
  repairAfterMs?: number;
  /** Tokens of a prompt (the provider learns its characters-per-token from the session's count). */
  countTokens: (prompt: BuiltPrompt) => number;
}

/**
 * The completion requests of an editing session: after each document change whose next change comes
 * later than the debounce, the prompt the provider builds there (window kept between requests,
 * characters-per-token learnt, shrunk when a prompt does not fit: the provider's rules).
 */
export function traceRequests(trace: GeneratedTrace, o: RequestOptions): { requests: TraceRequest[]; durationMs: number; keystrokes: number } {
  // the provider's debounce (its own defaults), clamped to the settings as the provider does
  const debounce = new AdaptiveDebounce();
  const minMs = o.debounceMinMs ?? 50;
  const maxMs = o.debounceMaxMs ?? 600;
  const maxTokens = o.maxTokens ?? 64;
  const repairAfterMs = o.repairAfterMs ?? 500;
  const promptTokens = promptTokensFor(o.contextSize, maxTokens);
  let charsPerToken = 3;
  let window: WindowState | undefined;
  let text = trace.initial;
  let t = 0;
  let since = 0;
  let keystrokes = 0;
  const requests: TraceRequest[] = [];
  for (const ev of trace.events) {
    since++;
    if (ev.changes.length) {
      text = applyChanges(text, ev.changes);
      debounce.keystroke(t);
      keystrokes++;
    }
    const wait = Math.min(Math.max(debounce.delay(), minMs), Math.max(minMs, maxMs));
    const asks = ev.changes.length > 0 && ev.gapMs >= wait;
    if (asks) {
      let prompt: BuiltPrompt | undefined;
      for (let attempt = 0; ; attempt++) {
        prompt = buildPrompt(o.fim, text, ev.cursor, o.path, promptBudget(promptTokens, charsPerToken, false), [], window);
        const n = o.countTokens(prompt);
        if (n + maxTokens + 32 <= o.contextSize || attempt > 4) {
          const chars = prompt.segments.reduce((s, seg) => s + ('text' in seg ? seg.text.length : 0), 0);
          charsPerToken = nextCharsPerToken(charsPerToken, chars, n);
          break;
        }
        // the provider's answer to a prompt that does not fit: a smaller estimate, a new window
        charsPerToken *= 0.7;
        window = undefined;
      }
      window = prompt.state;
      requests.push({
        index: requests.length,
        episode: ev.episode,
        text,
        offset: ev.cursor,
        prompt,
        continuation: prompt.healed + text.slice(ev.cursor, ev.cursor + 2000),
        atMs: t,
        pauseMs: ev.gapMs,
        repairs: repairAfterMs > 0 && ev.gapMs >= wait + repairAfterMs,
        repairWindowMs: repairAfterMs > 0 ? Math.max(0, ev.gapMs - wait - repairAfterMs) : 0,
        events: since,
      });
      since = 0;
    }
    t += ev.gapMs;
  }
  return { requests, durationMs: t, keystrokes };
}
