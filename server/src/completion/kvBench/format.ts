// kv-bench's text report.
import { EPISODES } from './editorTrace';
import type { KvBenchResult } from './types';

const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));

export function formatKvBench(r: KvBenchResult): string {
  const lines: string[] = [];
  lines.push(`model: ${r.model.name} (${r.model.kind}; ${r.model.path})`);
  lines.push(`device: ${r.device}`);
  lines.push(`prompts: ${r.layout} (the completion provider's prompt builder), session context ${r.contextSize}`);
  lines.push(r.edit_aware.supported ? 'edit-aware reuse: supported' : `edit-aware reuse: UNAVAILABLE: ${r.edit_aware.fallback} (the hotpath rows are prefix reuse)`);
  for (const file of r.files) {
    lines.push(`file: ${file.label}: ${file.tokens} tokens; ${file.requests} requests over ${file.traceSeconds} s of editing (${file.keystrokes} changes); prompts ${file.promptTokens.min}-${file.promptTokens.max} tokens (mean ${file.promptTokens.mean})`);
  }
  lines.push(`requests: ${r.requests} (${Object.entries(r.byEpisode).map(([k, v]) => `${v} ${k}`).join(', ')}); ${r.repairPauses} pauses long enough to repair; reference: full recomputation at ${r.reference.full}, prefix reuse (the same cells) at ${r.reference.prefix}`);
  lines.push(`aligned reference (batches of ${r.align} fixed by position): full_aligned at ${r.reference_aligned.full_aligned}, prefix_aligned (the same cells) at ${r.reference_aligned.prefix_aligned}${r.reference_aligned.hotpath_repaired ? `, hotpath_repaired (the exact repair's cells, prefix_aligned on demand) at ${r.reference_aligned.hotpath_repaired}` : ''}`);
  lines.push(`agreement: common prefix of the greedy next ${r.generate} tokens with full recomputation's; top1 and KL over the next ${r.positions} positions of the real continuation; identical: greedy tokens and all those logits equal bit for bit`);
  lines.push('');
  lines.push('                                                                        vs full (default batches)   vs full (aligned layout)');
  lines.push('strategy                    fg tokens   fg ms   bg tokens   bg ms  total/prefix  agreement  top1    KL(nats)  agreement  top1    KL(nats) identical');
  for (const [name, s] of Object.entries(r.strategies)) {
    const a = s.vs_aligned;
    lines.push(
      `${name.padEnd(26)} ${f(s.evaluated_tokens, 1).padStart(10)} ${f(s.ms_per_edit, 0).padStart(7)} ${f(s.background_tokens, 1).padStart(11)} ${(f(s.background_ms_per_edit, 0) + (s.background_ms_estimated ? '*' : '')).padStart(7)} ${f(s.total_vs_prefix, 2).padStart(13)} ${f(s.agreement).padStart(10)} ${f(s.top1).padStart(6)} ${f(s.kl, 4).padStart(10)} ${f(a.agreement).padStart(10)} ${f(a.top1).padStart(6)} ${f(a.kl, 4).padStart(10)} ${f(a.identical, 2).padStart(9)}`,
    );
  }
  lines.push('(per request; fg = foreground sync before generation; bg = background repair; * = at hotpath\'s measured repair speed)');
  const eps = EPISODES.filter((e) => r.byEpisode[e]);
  lines.push('');
  lines.push(`agreement by episode:       ${eps.map((e) => e.padStart(13)).join('')}`);
  for (const [name, s] of Object.entries(r.strategies)) lines.push(`${name.padEnd(28)}${eps.map((e) => f(s.by_episode[e]?.agreement).padStart(13)).join('')}`);
  lines.push('');
  lines.push(`vs aligned, by episode:     ${eps.map((e) => e.padStart(13)).join('')}`);
  for (const [name, s] of Object.entries(r.strategies)) lines.push(`${name.padEnd(28)}${eps.map((e) => f(s.vs_aligned.by_episode[e]?.agreement).padStart(13)).join('')}`);
  lines.push('');
  lines.push(`fg tokens by episode:       ${eps.map((e) => e.padStart(13)).join('')}`);
  for (const [name, s] of Object.entries(r.strategies)) lines.push(`${name.padEnd(28)}${eps.map((e) => f(s.by_episode[e]?.evaluated_tokens, 1).padStart(13)).join('')}`);
  const c = r.repair_cpu;
  lines.push('');
  lines.push(
    `background repair (${c.threads} thread${c.threads === 1 ? '' : 's'}, duty cycle ${c.duty_cycle}): ${c.cpu_s.toFixed(1)} CPU s over ${c.trace_minutes.toFixed(1)} min of editing = ${c.cpu_s_per_minute.toFixed(1)} CPU s per minute; finished within its pause in ${c.finished_in_pause} of ${c.pauses} pauses`,
  );
  const d = r.decisive;
  if (d) {
    lines.push('');
    lines.push(`decisive agreement (vs the aligned reference, counting only where its top-1 leads by more than tau, twice the largest logit difference of prefix reuse in the usual batches at that request: above 0 at ${d.noisy_requests} requests, tau at most ${d.tau.toFixed(3)}): greedy to the first near tie / top-1`);
    for (const [name, x] of Object.entries(d.all)) lines.push(`${name.padEnd(28)}${f(x.greedy).padStart(8)} (${x.decided} of ${x.requests} decided)${f(x.top1).padStart(8)} (${x.positions} positions)`);
    lines.push('');
    lines.push(`far edits: ${d.far.requests} (prefix reuse recomputed ${(100 * d.far.stale_share.min).toFixed(0)}-${(100 * d.far.stale_share.max).toFixed(0)}% of the prompt); vs the aligned reference`);
    lines.push('strategy                     fg tokens  greedy (>=0.95)   top1     KL(nats)  decisive greedy (>=0.95)  decisive top1   bg tokens  (fg+bg)/prefix (repaired edits)');
    for (const [name, x] of Object.entries(d.far.strategies)) {
      lines.push(
        `${name.padEnd(28)}${f(x.evaluated_tokens, 1).padStart(10)} ${f(x.greedy).padStart(7)} (${x.greedy_ge095}/${x.requests})${f(x.top1).padStart(8)} ${f(x.kl, 4).padStart(10)} ${f(x.decisive.greedy).padStart(10)} (${x.decisive.greedy_ge095}/${x.decisive.decided})${f(x.decisive.top1).padStart(14)} ${f(x.background_tokens, 1).padStart(11)} ${f(x.total_vs_prefix, 2).padStart(15)} (${x.repaired_requests})`,
      );
    }
  }
  const t = r.targets;
  lines.push('');
  lines.push(
    `targets (hotpath): foreground <= 10% of full ${t.foreground_at_most_10pct_of_full ? 'met' : 'NOT met'} (${(100 * r.ratios.hotpath_evaluated_vs_full).toFixed(2)}%); agreement >= 0.95 before repair ${t.agreement_before_repair_ge_095 ? 'met' : 'NOT met'} (${f(r.strategies.hotpath.agreement)}; against the aligned full recomputation ${t.agreement_before_repair_ge_095_vs_aligned ? 'met' : 'NOT met'}, ${f(r.strategies.hotpath.vs_aligned.agreement)}); foreground + repair <= prefix ${t.foreground_plus_repair_le_prefix ? 'met' : 'NOT met'} (${f(r.ratios.hotpath_total_vs_prefix, 2)}x); full recomputation after repair ${t.repaired_equals_full ? 'met' : 'NOT met'} (bit for bit the aligned one: ${t.repaired_identical_to_aligned_full ? 'yes' : 'no'})${t.best_variant ? `; all four met by ${t.best_variant}` : ''}`,
  );
  return lines.join('\n');
}
