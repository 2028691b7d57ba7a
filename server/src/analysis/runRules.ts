// Run every rule of a language on one unit, isolating rule failures: a rule that throws on
// strange code loses its own findings for that unit, never the others or the server.

import type { LanguageSpec } from './language';
import type { SyntaxNode } from '../parsing';
import type { ModuleSummary } from './module';
import type { Finding, Report, Rule, UnitContext } from './rule';

export interface RuleFailure {
  code: string;
  error: unknown;
}

export function runRules(
  spec: LanguageSpec,
  source: string,
  unit: SyntaxNode,
  module: ModuleSummary,
  rules: readonly Rule[] = spec.rules,
  onFailure?: (failure: RuleFailure) => void,
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const ctx: UnitContext = {
      language: spec.id,
      source,
      unit,
      module,
      complexity: spec.complexity,
      report(r: Report) {
        findings.push({
          code: rule.code,
          severity: rule.severity,
          message: r.message,
          startIndex: r.node.startIndex,
          endIndex: r.node.endIndex,
          related: (r.related ?? []).map((x) => ({ startIndex: x.node.startIndex, endIndex: x.node.endIndex, message: x.message })),
          fix: r.fix,
        });
      },
    };
    try {
      rule.check(ctx);
    } catch (error) {
      onFailure?.({ code: rule.code, error });
    }
  }
  return findings;
}

/** Findings in document order, then by code: the order every output uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.startIndex - b.startIndex || a.endIndex - b.endIndex || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
}
