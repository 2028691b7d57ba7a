// Engine counters: tokens evaluated / reused / generated, and the last request's speed.
import type { EngineCounters } from './engine';
import type { CountDelta } from './embedded/protocol';

export class Counters {
  private c: EngineCounters = { tokensEvaluated: 0, tokensReused: 0, tokensGenerated: 0, requests: 0, restarts: 0 };

  add(d: CountDelta): void {
    this.c.tokensEvaluated += d.evaluated ?? 0;
    this.c.tokensReused += d.reused ?? 0;
    this.c.tokensGenerated += d.generated ?? 0;
    if (d.timeToFirstTokenMs !== undefined) {
      const prompt = (d.evaluated ?? 0) + (d.reused ?? 0);
      const gen = d.generated ?? 0;
      this.c.last = {
        timeToFirstTokenMs: d.timeToFirstTokenMs,
        promptTokens: prompt,
        reusedTokens: d.reused ?? 0,
        promptTokensPerSecond: d.promptMs ? ((d.evaluated ?? 0) * 1000) / d.promptMs : 0,
        generatedTokens: gen,
        generationTokensPerSecond: d.generationMs && gen > 1 ? ((gen - 1) * 1000) / d.generationMs : 0,
      };
    }
  }

  request(): void {
    this.c.requests++;
  }

  restart(): void {
    this.c.restarts++;
  }

  snapshot(): EngineCounters {
    return { ...this.c, last: this.c.last && { ...this.c.last } };
  }
}
