// Inline completions, independent of LSP plumbing (the feature in features/inlineCompletion.ts
// wires it to the connection). One request:
//   1. manual mode answers explicit requests only; a suggestion the user is typing into, or a
//      cached one for the same text around the cursor, is answered without a model call;
//   2. an adaptive debounce (keystroke gaps minus expected latency), cancelled by the next keystroke;
//   3. the FIM prompt (prompt.ts) goes to the document's edit-aware KV session in the engine worker
//      ('hotpath-kv': only the edited tokens are evaluated), or, with a remote server, as text with
//      cache_prompt;
//   4. a greedy candidate, then sampled ones while the time budget allows; post-processing;
//      the efficiency filter parses each in place and checks it with Hotpath's rules;
//   5. when the user pauses, the session repairs its stale cells in the background (cancelled by
//      the next keystroke).
import { EngineError, type EngineSession, type FimInfo, type GenerationResult, type ModelEngine, type ModelInfo } from '../model/engine';
import type { LanguageSpec } from '../languages';
import type { ParserFactory } from '../parsing';
import { EfficiencyFilter, type FilterMode } from './filter';
import { BACKGROUND_REPAIR, KV_SESSION_KIND } from '../model/embedded/kv/workerKind';
import type { RepairResult, SyncStats } from '../model/embedded/kv/session';
import { AdaptiveDebounce, sleep, TypeAhead } from './latency';
import { postprocess } from './postprocess';
import { buildPrompt, nextCharsPerToken, promptBudget, promptTokensFor, unheal, type OtherFile, type WindowState } from './prompt';

export interface CompletionSettings {
  enable: boolean;
  /** 'automatic': as the user types; 'manual': only on the trigger command. */
  trigger: 'automatic' | 'manual';
  maxTokens: number;
  maxLines: number;
  /** Candidates to generate when the time budget allows (the first is greedy). */
  candidates: number;
  /** Stop sampling more candidates after this many ms. */
  timeBudgetMs: number;
  efficiencyFilter: FilterMode;
  debounceMinMs: number;
  debounceMaxMs: number;
  /** Repair the KV cache in the background after this many ms without typing (0: never). */
  repairAfterMs: number;
  /** Use other open files of the same language as context when they fit. */
  otherFiles: boolean;
}

export const DEFAULT_COMPLETION_SETTINGS: CompletionSettings = {
  enable: true,
  trigger: 'automatic',
  maxTokens: 64,
  maxLines: 16,
  candidates: 3,
  timeBudgetMs: 1500,
  efficiencyFilter: 'rank',
  debounceMinMs: 50,
  debounceMaxMs: 600,
  repairAfterMs: 500,
  otherFiles: true,
};

export function completionSettingsOf(raw: unknown): CompletionSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_COMPLETION_SETTINGS;
  const num = (v: unknown, def: number, lo: number, hi: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : def);
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : d.enable,
    trigger: r.trigger === 'manual' ? 'manual' : 'automatic',
    maxTokens: Math.round(num(r.maxTokens, d.maxTokens, 1, 512)),
    maxLines: Math.round(num(r.maxLines, d.maxLines, 1, 200)),
    candidates: Math.round(num(r.candidates, d.candidates, 1, 8)),
    timeBudgetMs: num(r.timeBudgetMs, d.timeBudgetMs, 0, 60_000),
    efficiencyFilter: r.efficiencyFilter === 'drop' || r.efficiencyFilter === 'off' ? r.efficiencyFilter : 'rank',
    debounceMinMs: num(r.debounceMinMs, d.debounceMinMs, 0, 5000),
    debounceMaxMs: num(r.debounceMaxMs, d.debounceMaxMs, 0, 10_000),
    repairAfterMs: num(r.repairAfterMs, d.repairAfterMs, 0, 600_000),
    otherFiles: typeof r.otherFiles === 'boolean' ? r.otherFiles : d.otherFiles,
  };
}

export interface CompletionRequest {
  uri: string;
  path: string;
  text: string;
  offset: number;
  spec: LanguageSpec;
  /** Invoked by the user (trigger command / explicit request), not by typing. */
  explicit: boolean;
  others: OtherFile[];
}

export interface CompletionStats {
  source: 'model' | 'typeahead' | 'none';
  latencyMs: number;
  /** Prompt tokens kept from the cache / evaluated for this request (sync plus generation). */
  reused: number;
  evaluated: number;
  promptTokens: number;
  stale: number;
  candidates: number;
  dropped: number;
  /** Findings or syntax errors of candidates ranked down or dropped. */
  rejected: { reason: string }[];
  backend?: 'embedded' | 'remote';
  reencoded?: boolean;
  /** How the prompt's cache is reused: 'edit-aware' (the KV session), 'prefix' (its fallback, or a
   *  remote server's cache_prompt), with the reason for a fallback. */
  kvReuse?: 'edit-aware' | 'prefix';
  kvFallback?: string;
  /** 'fim', or 'prefix-only' for a model without FIM tokens. */
  mode?: 'fim' | 'prefix-only';
}

export interface CompletionResult {
  items: string[];
  stats: CompletionStats;
}

/** Documents with a live KV session in the engine worker. */
const MAX_SESSIONS = 4;

interface DocState {
  session?: Promise<EngineSession>;
  lastUsed: number;
  window?: WindowState;
  charsPerToken: number;
  repair?: AbortController;
  repairTimer?: ReturnType<typeof setTimeout>;
  lastChange: number;
}

export class CompletionProvider {
  private readonly docs = new Map<string, DocState>();
  private readonly debounce = new AdaptiveDebounce();
  private readonly typeAhead = new TypeAhead();
  private inflight: AbortController | undefined;
  private lastEngine: ModelEngine | undefined;
  private fallbackLogged = false;

  constructor(
    private readonly deps: {
      engine: () => Promise<ModelEngine>;
      parsers: ParserFactory;
      log: (m: string) => void;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? performance.now();
  }

  private doc(uri: string): DocState {
    let d = this.docs.get(uri);
    if (!d) {
      d = { charsPerToken: 3, lastChange: 0, lastUsed: 0 };
      this.docs.set(uri, d);
    }
    return d;
  }

  /** A change of the document: keystroke timing; the next keystroke cancels work for the last one. */
  onChange(uri: string): void {
    const t = this.now();
    this.debounce.keystroke(t);
    const d = this.doc(uri);
    d.lastChange = t;
    d.repair?.abort();
    if (d.repairTimer) clearTimeout(d.repairTimer);
    this.inflight?.abort();
  }

  async onClose(uri: string): Promise<void> {
    const d = this.docs.get(uri);
    this.docs.delete(uri);
    this.typeAhead.forget(uri);
    if (!d) return;
    d.repair?.abort();
    if (d.repairTimer) clearTimeout(d.repairTimer);
    const s = await d.session?.catch(() => undefined);
    await s?.close().catch(() => undefined);
  }

  /** Open sessions (for the status): uri -> exists. */
  sessionCount(): number {
    let n = 0;
    for (const d of this.docs.values()) if (d.session) n++;
    return n;
  }

  async provide(req: CompletionRequest, settings: CompletionSettings, signal: AbortSignal): Promise<CompletionResult> {
    const t0 = this.now();
    const none = (source: CompletionStats['source'] = 'none'): CompletionResult => ({
      items: [],
      stats: { source, latencyMs: this.now() - t0, reused: 0, evaluated: 0, promptTokens: 0, stale: 0, candidates: 0, dropped: 0, rejected: [] },
    });
    if (!settings.enable) return none();
    if (settings.trigger === 'manual' && !req.explicit) return none();
    // an explicit request asks for a fresh answer; typing is answered from what was already suggested
    const cached = req.explicit ? undefined : this.typeAhead.lookup(req.uri, req.text, req.offset, Date.now());
    if (cached) return { items: [cached], stats: { ...none('typeahead').stats, candidates: 1 } };

    // This request supersedes any earlier one still running.
    this.inflight?.abort();
    const own = new AbortController();
    this.inflight = own;
    const abort = () => own.abort();
    signal.addEventListener('abort', abort, { once: true });
    if (signal.aborted) own.abort();
    try {
      if (!req.explicit) {
        const wait = Math.min(Math.max(this.debounce.delay(), settings.debounceMinMs), Math.max(settings.debounceMinMs, settings.debounceMaxMs));
        await sleep(wait, own.signal);
      }
      const engine = await this.deps.engine();
      if (this.lastEngine && this.lastEngine !== engine) await this.dropSessions();
      this.lastEngine = engine;
      const info = await engine.info(own.signal);
      // A model without FIM tokens completes from the prefix alone (prefix-only mode, in the status).
      const result = await this.generate(engine, info, req, settings, own.signal, t0);
      this.debounce.recordLatency(result.stats.latencyMs);
      if (result.items[0]) this.typeAhead.remember(req.uri, req.text, req.offset, result.items[0], Date.now());
      // nothing stale (an edit near the cursor is recomputed exactly): no repair to schedule
      if (info.backend === 'embedded' && result.stats.stale > 0) this.scheduleRepair(req.uri, settings);
      return result;
    } catch (err) {
      if ((err as { code?: string })?.code === 'aborted' || own.signal.aborted) return none();
      throw err;
    } finally {
      signal.removeEventListener('abort', abort);
      if (this.inflight === own) this.inflight = undefined;
    }
  }

  private async session(engine: ModelEngine, uri: string, contextSize: number): Promise<EngineSession> {
    const d = this.doc(uri);
    d.lastUsed = this.now();
    if (!d.session) {
      // Each session holds a KV cache in the worker: keep the most recently used few.
      const open = [...this.docs.entries()].filter(([u, x]) => u !== uri && x.session).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
      for (const [u, x] of open.slice(0, Math.max(0, open.length - (MAX_SESSIONS - 1)))) {
        x.repair?.abort();
        const old = x.session;
        x.session = undefined;
        void old?.then((s) => s.close()).catch(() => undefined);
        this.deps.log(`completion: closed the KV session of ${u} (least recently used)`);
      }
    }
    d.session ??= engine.openSession({ kind: KV_SESSION_KIND, contextSize });
    try {
      return await d.session;
    } catch (err) {
      d.session = undefined;
      throw err;
    }
  }

  private async generate(engine: ModelEngine, info: ModelInfo, req: CompletionRequest, settings: CompletionSettings, signal: AbortSignal, t0: number): Promise<CompletionResult> {
    const d = this.doc(req.uri);
    const fim = info.fim;
    const contextSize = info.contextSize;
    let promptTokens = promptTokensFor(contextSize, settings.maxTokens);
    const others = settings.otherFiles ? req.others : [];
    const build = () => buildPrompt(fim, req.text, req.offset, req.path, promptBudget(promptTokens, d.charsPerToken, others.length > 0 && Boolean(fim)), others, d.window);
    let prompt = build();
    const raws: string[] = [];
    let stats: SyncStats | undefined;
    let evaluated = 0;
    // Prefix-only: the model's end-of-generation tokens stop it, post-processing ends the block.
    const stops = fim ? fim.tokens.stop : [];
    if (engine.backend === 'embedded') {
      const session = await this.session(engine, req.uri, contextSize);
      for (let attempt = 0; ; attempt++) {
        try {
          stats = await session.call<SyncStats>('sync', { segments: prompt.segments }, { signal });
          break;
        } catch (err) {
          if ((err as { code?: string })?.code !== 'contextFull' && !/does not fit/.test(String((err as Error)?.message)) || attempt > 2) throw err;
          d.charsPerToken *= 0.7;
          d.window = undefined;
          prompt = build();
        }
      }
      if (stats.fallback && !this.fallbackLogged) {
        this.fallbackLogged = true;
        this.deps.log(`completion: edit-aware KV reuse is off: ${stats.fallback}`);
      }
      d.window = prompt.state;
      const chars = prompt.segments.reduce((s, seg) => s + ('text' in seg ? seg.text.length : 0), 0);
      d.charsPerToken = nextCharsPerToken(d.charsPerToken, chars, stats.tokens);
      evaluated += stats.evaluated;
      for (let k = 0; k < settings.candidates; k++) {
        if (k > 0 && this.now() - t0 > settings.timeBudgetMs) break;
        const r = await session.call<{ text: string; evaluated: number }>('complete', { maxTokens: settings.maxTokens, stop: stops, temperature: k === 0 ? 0 : 0.7, seed: k }, { signal });
        evaluated += r.evaluated;
        raws.push(r.text);
      }
    } else {
      // Remote: /infill when the server has it (prefix and suffix as separate fields), else the
      // prompt as token ids tokenized without special parsing; sized in tokens to the slot's context.
      const useInfill = Boolean(fim && info.server?.infill && engine.infill);
      let remotePrompt: number[] | undefined;
      for (let attempt = 0; ; attempt++) {
        try {
          const typed = prompt.prefix.slice(0, prompt.prefix.length - prompt.healed.length);
          if (!useInfill) remotePrompt = await this.remoteTokens(engine, info, typed, prompt.suffix, Math.max(16, Math.min(contextSize, promptTokens + 32) - settings.maxTokens - 8));
          const chars = prompt.prefix.length + prompt.suffix.length;
          if (remotePrompt) d.charsPerToken = nextCharsPerToken(d.charsPerToken, chars, remotePrompt.length);
          for (let k = raws.length; k < settings.candidates; k++) {
            if (k > 0 && this.now() - t0 > settings.timeBudgetMs) break;
            const options = { maxTokens: settings.maxTokens, stop: stops, temperature: k === 0 ? 0 : 0.7, seed: k };
            const r: GenerationResult = useInfill
              ? await engine.infill!({ prefix: typed, suffix: prompt.suffix }, options, signal)
              : await engine.generate({ ...options, prompt: remotePrompt! }, signal);
            evaluated += r.evaluatedTokens + r.tokens.length;
            raws.push(r.text);
            if (k === 0) stats = { strategy: 'prefix', tokens: r.promptTokens, reused: r.reusedTokens, evaluated: r.evaluatedTokens, erased: 0, edits: 0, stale: 0, reencoded: r.reusedTokens === 0, ms: r.promptMs };
          }
          break;
        } catch (err) {
          // The server refused the prompt's size: shrink to what it said, once; never resend the same size.
          if (!(err instanceof EngineError && err.code === 'contextFull') || attempt > 0 || raws.length > 0) throw err;
          const limit = err.contextSize ?? Math.floor(contextSize * 0.7);
          promptTokens = Math.max(16, Math.floor((limit - settings.maxTokens - 32) * 0.9));
          d.window = undefined;
          prompt = build();
          this.deps.log(`completion: ${err.message}; retrying once with a prompt of at most ${promptTokens} tokens`);
        }
      }
      d.window = prompt.state;
    }
    const before = req.text.slice(0, req.offset);
    const after = req.text.slice(req.offset);
    const cleaned = raws.map((r) => postprocess(unheal(r, prompt.healed), before, after, { maxLines: settings.maxLines })).filter((c) => c.length > 0);
    const ranked = new EfficiencyFilter(req.spec, this.deps.parsers, req.text, req.offset).rank(cleaned, settings.efficiencyFilter);
    const rejected: { reason: string }[] = [];
    for (const c of ranked) {
      if (!c.parses) rejected.push({ reason: 'does not parse' });
      for (const f of c.introduced) rejected.push({ reason: `${f.code}: ${f.message}` });
    }
    const unique = new Set(cleaned);
    return {
      items: ranked.map((c) => c.text),
      stats: {
        source: 'model',
        latencyMs: this.now() - t0,
        reused: stats?.reused ?? 0,
        evaluated,
        promptTokens: stats?.tokens ?? 0,
        stale: stats?.stale ?? 0,
        candidates: unique.size,
        dropped: unique.size - ranked.length,
        rejected,
        backend: engine.backend,
        reencoded: stats?.reencoded,
        kvReuse: engine.backend === 'embedded' && !stats?.fallback ? 'edit-aware' : 'prefix',
        kvFallback: stats?.fallback,
        mode: info.fim ? 'fim' : 'prefix-only',
      },
    };
  }

  /**
   * The remote prompt as token ids: the user's text tokenized by the server WITHOUT special-token
   * parsing (a file containing "<|fim_middle|>" stays text), the FIM markers by their ids; the
   * prefix is cut from its start and the suffix from its end to fit `budget` tokens.
   */
  private async remoteTokens(engine: ModelEngine, info: ModelInfo, prefix: string, suffix: string, budget: number): Promise<number[]> {
    const fim = info.fim;
    // CodeLlama's reference spacing: "<PRE> {prefix} <SUF>{suffix} <MID>"
    if (fim?.family === 'codellama') {
      prefix = ` ${prefix} `;
      suffix = `${suffix} `;
    }
    let pre = prefix ? await engine.tokenize(prefix, { special: false }) : [];
    if (!fim) return pre.slice(Math.max(0, pre.length - budget));
    const { fimPrefix, fimSuffix, fimMiddle } = info.special;
    if (fimPrefix === undefined || fimSuffix === undefined || fimMiddle === undefined) throw new EngineError(`the FIM tokens of ${fim.family} are unknown on this server`, 'unsupported');
    let suf = suffix ? await engine.tokenize(suffix, { special: false }) : [];
    const room = budget - 3;
    if (pre.length + suf.length > room) {
      const sufRoom = Math.min(suf.length, Math.floor(room / 4));
      suf = suf.slice(0, sufRoom);
      pre = pre.slice(Math.max(0, pre.length - (room - sufRoom)));
    }
    return [fimPrefix, ...pre, fimSuffix, ...suf, fimMiddle];
  }

  /** Repair the document's KV cache once the user has paused for repairAfterMs. */
  private scheduleRepair(uri: string, settings: CompletionSettings): void {
    const d = this.docs.get(uri);
    if (!d?.session || settings.repairAfterMs <= 0) return;
    if (d.repairTimer) clearTimeout(d.repairTimer);
    d.repairTimer = setTimeout(() => {
      d.repairTimer = undefined;
      const ac = new AbortController();
      d.repair = ac;
      void (async () => {
        const s = await d.session!;
        const r = await s.call<RepairResult>('repair', { ...BACKGROUND_REPAIR }, { signal: ac.signal });
        if (r.repaired) this.deps.log(`completion: repaired ${r.repaired} KV cells of ${uri} in ${r.ms.toFixed(0)} ms (${r.stale} stale left)`);
      })()
        .catch((err) => {
          if ((err as { code?: string })?.code !== 'aborted') this.deps.log(`completion: repair failed: ${(err as Error)?.message ?? err}`);
        })
        .finally(() => {
          if (d.repair === ac) d.repair = undefined;
        });
    }, settings.repairAfterMs);
    d.repairTimer.unref?.();
  }

  private async dropSessions(): Promise<void> {
    for (const [uri, d] of this.docs) {
      d.repair?.abort();
      const s = await d.session?.catch(() => undefined);
      await s?.close().catch(() => undefined);
      this.docs.set(uri, { charsPerToken: d.charsPerToken, lastChange: d.lastChange, lastUsed: 0 });
    }
  }

  async dispose(): Promise<void> {
    this.inflight?.abort();
    await this.dropSessions();
    this.docs.clear();
  }
}
