// Which findings a user sees, for the editor and the CLI alike: those whose rule the selections
// enable (project configuration first, then editor settings or command-line flags refine it) and
// that no `hotpath: ignore` comment on their line silences.
import { isEnabled, type RuleSelection } from './config';
import type { Finding } from './rule';
import { isSuppressed } from './suppressions';

export function visibleFindings(findings: readonly Finding[], text: string, lineComment: string, selections: readonly (RuleSelection | undefined)[]): Finding[] {
  return findings.filter((f) => isEnabled(f.code, ...selections) && !isSuppressed(text, lineComment, f.startIndex, f.code));
}
