// kv-bench's llama_server row: the real llama-server (scripts/llama-server/build.sh), one slot with
// --cache-reuse N, given the same token ids as the engine's sessions; its own prompt timings, and
// its CPU time from /proc.
import { readFileSync } from 'node:fs';

/** The llama-server row: the real server over HTTP, given the same token ids. */
export interface ServerRow {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

function procCpuMs(pid: number): number {
  try {
    // /proc/PID/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

export async function serverComplete(s: ServerRow, tokens: readonly number[], generate: number, eos: number): Promise<{ greedy: number[]; evaluated: number; cached: number; ms: number; cpuMs: number; wallMs: number }> {
  const c0 = procCpuMs(s.pid);
  const t0 = performance.now();
  const res = await fetch(`${s.url}/completion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: tokens, n_predict: generate, temperature: 0, top_k: 1, cache_prompt: true, return_tokens: true, stream: false }),
  });
  if (!res.ok) throw new Error(`llama-server: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const body = (await res.json()) as { tokens?: number[]; stop_type?: string; timings?: { prompt_n?: number; prompt_ms?: number; cache_n?: number } };
  const greedy = [...(body.tokens ?? [])];
  if (body.stop_type === 'eos') greedy.push(eos);
  return {
    greedy,
    evaluated: body.timings?.prompt_n ?? NaN,
    cached: body.timings?.cache_n ?? NaN,
    ms: body.timings?.prompt_ms ?? NaN,
    cpuMs: procCpuMs(s.pid) - c0,
    wallMs: performance.now() - t0,
  };
}

export async function startServer(binary: string, model: string, contextSize: number, threads: number, chunkReuseMin: number): Promise<ServerRow> {
  const { startLlamaServer } = await import('../../model/remote/llamaServer');
  const s = await startLlamaServer({ binary, model, contextSize, slots: 1, threads, extraArgs: ['--cache-reuse', String(chunkReuseMin), '-b', '512', '-ub', '512'] });
  // a bench stopped with Ctrl+C or kill must not leave the server running
  const onSignal = (signal: NodeJS.Signals) => {
    s.process.kill('SIGTERM');
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    url: s.url,
    pid: s.process.pid!,
    stop: async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await s.stop();
    },
  };
}
