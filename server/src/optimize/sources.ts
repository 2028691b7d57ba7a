// Where candidate rewrites come from. `CandidateSource` is the seam: the model in production
// (ModelCandidateSource: the ModelService's engine, embedded or remote), a fixed list in tests
// (FixedCandidateSource). HOTPATH_OPTIMIZE_CANDIDATES (a JSON file) selects a fixed list in the
// language server and the CLI: only tests set it.
import { readFileSync } from 'node:fs';
import type { ModelEngine } from '../model/engine';
import type { Diagnosis } from './types';

export interface CandidateRequest {
  diagnosis: Diagnosis;
  /** The rendered prompt (prompts/<language>/optimize.md or refine.md). */
  prompt: string;
  /** 1-based. */
  round: number;
  /** How many answers to propose. */
  count: number;
  signal?: AbortSignal;
}

export interface ProposedAnswer {
  /** The answer: the code after the prompt's opened fence (a closing ``` ends it). */
  text: string;
  generationMs?: number;
}

export interface CandidateSource {
  /** Part of the cache key: results of different sources are not shared. */
  readonly name: string;
  propose(request: CandidateRequest): Promise<ProposedAnswer[]>;
  /** Notes for the report (a truncated prompt, …). */
  notes?: string[];
}

export interface ModelSourceOptions {
  /** Tokens per answer (default 384; at most half the context). */
  maxTokens?: number;
  /** Sampling temperature of all answers but the first of round 1 (which is greedy). Default 0.7. */
  temperature?: number;
}

/** Candidates sampled from the model: the first greedy, the others at a temperature, seeded. */
export class ModelCandidateSource implements CandidateSource {
  readonly name: string;
  notes: string[] = [];

  constructor(private readonly engine: () => Promise<ModelEngine>, private readonly options: ModelSourceOptions = {}, name = 'model') {
    this.name = name;
  }

  async propose(req: CandidateRequest): Promise<ProposedAnswer[]> {
    const engine = await this.engine();
    const info = await engine.info(req.signal);
    const maxTokens = Math.max(16, Math.min(this.options.maxTokens ?? 384, Math.floor(info.contextSize / 2)));
    let prompt: number[] | string = req.prompt;
    try {
      const tokens = await engine.tokenize(req.prompt);
      const room = info.contextSize - maxTokens - 1;
      if (tokens.length > room) {
        // Keep the end: the function, the feedback and the opened fence matter most.
        prompt = tokens.slice(tokens.length - room);
        this.notes.push(`round ${req.round}: prompt of ${tokens.length} tokens cut to its last ${room} (context ${info.contextSize})`);
      } else prompt = tokens;
    } catch {
      prompt = req.prompt; // a remote server without /tokenize: send the text
    }
    const out: ProposedAnswer[] = [];
    for (let i = 0; i < req.count; i++) {
      if (req.signal?.aborted) break;
      const greedy = req.round === 1 && i === 0;
      const t0 = Date.now();
      const r = await engine.generate(
        { prompt, maxTokens, temperature: greedy ? 0 : this.options.temperature ?? 0.7, topP: 0.95, seed: req.round * 1000 + i + 1, stop: ['```'] },
        req.signal,
      );
      out.push({ text: r.text, generationMs: Date.now() - t0 });
      if (r.stopReason === 'aborted') break;
    }
    return out;
  }
}

/** A fixed list of answers per round (the last list repeats); records the requests it got. */
export class FixedCandidateSource implements CandidateSource {
  readonly requests: CandidateRequest[] = [];

  constructor(private readonly rounds: string[][], readonly name = 'fixed') {}

  async propose(req: CandidateRequest): Promise<ProposedAnswer[]> {
    this.requests.push(req);
    const list = this.rounds[Math.min(req.round - 1, this.rounds.length - 1)] ?? [];
    return list.map((text) => ({ text, generationMs: 0 }));
  }
}

/**
 * The test seam: HOTPATH_OPTIMIZE_CANDIDATES names a JSON file, `{ "<function>": [["answer", …], …] }`
 * (one list per round) or `{ "*": … }` for any function. Undefined when the variable is not set.
 */
export function candidatesFromEnv(functionName: string, env: NodeJS.ProcessEnv = process.env): FixedCandidateSource | undefined {
  const file = env.HOTPATH_OPTIMIZE_CANDIDATES;
  if (!file) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[][]>;
  const rounds = data[functionName] ?? data['*'];
  return new FixedCandidateSource(rounds ?? [[]], `fixed:${file}`);
}
